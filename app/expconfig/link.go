package expconfig

import "net/url"

// keyEmbed is the link's embed=1: the page drawn for an iframe in a course
// page, without the title and the navigation.
const keyEmbed = "embed"

// Embedded reports whether a link asks for the page drawn for an iframe
// (embed=1). Only "1" counts, as for autorun.
func Embedded(q url.Values) bool { return q.Get(keyEmbed) == "1" }

// WholeApp is the page at u as the whole app opens it: without embed=1,
// which draws it for an iframe, and without autorun=1, which would start
// its experiment again in the new tab. The experiment's settings and any
// other parameter (lang, room) are kept.
func WholeApp(u url.URL) string {
	q := u.Query()
	q.Del(keyEmbed)
	q.Del(keyAutorun)
	u.RawQuery = q.Encode()
	return u.String()
}

// LessonAtMount says what the fault lab does with its link as it mounts:
// the lesson the link picks (lesson=0|1|2), whether to start it now (the
// link also says autorun=1, and no run of the page is going on: a run
// that went on while the learner was away is shown instead), and a bad
// lesson's error, which the page shows.
func LessonAtMount(q url.Values, busy bool) (qos byte, start bool, err error) {
	qos, ok, err := ParseLesson(q)
	return qos, ok && Autorun(q) && !busy, err
}
