// Package expconfig keeps an experiment's configuration in a URL query, so
// that a link reproduces it: a teacher can hand out a ready experiment and a
// course page can place one next to its text.
//
// It imports neither go-app nor syscall/js.
package expconfig

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"qosplayground/app/netcond"
	"qosplayground/app/topic"
)

// Playground is the configuration of the playground page.
type Playground struct {
	Clean       bool   // clean session
	Reconnect   bool   // auto-reconnect
	KeepAlive   int    // seconds
	SubFilter   string // topic filter to subscribe to
	SubQoS      byte
	PubTopic    string
	PubPayload  string
	PubQoS      byte
	PubRetain   bool
	PubCount    int    // messages per click: above 1, a burst of the tutorial's JSON
	Window      int    // a burst's messages awaiting acknowledgement at most
	WillTopic   string // "" for no will
	WillPayload string
	WillQoS     byte
	WillRetain  bool
	// Net is a network conditions preset (netcond.Presets: "satellite",
	// "weak-3g"...), applied to the connection from its CONNECT on; ""
	// for none. A course page can link to "QoS 1 over a satellite link".
	Net string
}

// DefaultPlayground is the page's configuration without a query.
func DefaultPlayground() Playground {
	return Playground{
		Clean: true, KeepAlive: 30,
		SubFilter: "playground/#", SubQoS: 1,
		PubTopic: "playground/hello", PubPayload: `{"message_id": 1, "content": "hello"}`, PubQoS: 1,
		PubCount: 1, Window: 20,
	}
}

// Limits of a burst.
const (
	MaxCount  = 100_000
	MaxWindow = 1000
)

// Query parameter names.
const (
	keyClean     = "clean"
	keyKeepAlive = "keepalive"
	keyReconnect = "reconnect"
	keySubFilter = "sub"
	keySubQoS    = "subqos"
	keyPubTopic  = "topic"
	keyPayload   = "payload"
	keyPubQoS    = "qos"
	keyRetain    = "retain"
	keyCount     = "count"
	keyWindow    = "window"
	keyWill      = "will"
	keyWillMsg   = "willmsg"
	keyWillQoS   = "willqos"
	keyWillRet   = "willretain"
	keyNet       = "net"
)

// Query writes the configuration's fields that differ from the default
// into q (other parameters of q, such as lang, are kept).
func (c Playground) Query(q url.Values) {
	d := DefaultPlayground()
	set := func(key string, differs bool, v string) {
		if differs {
			q.Set(key, v)
		} else {
			q.Del(key)
		}
	}
	set(keyClean, c.Clean != d.Clean, strconv.FormatBool(c.Clean))
	set(keyKeepAlive, c.KeepAlive != d.KeepAlive, strconv.Itoa(c.KeepAlive))
	set(keyReconnect, c.Reconnect != d.Reconnect, strconv.FormatBool(c.Reconnect))
	set(keySubFilter, c.SubFilter != d.SubFilter, c.SubFilter)
	set(keySubQoS, c.SubQoS != d.SubQoS, strconv.Itoa(int(c.SubQoS)))
	set(keyPubTopic, c.PubTopic != d.PubTopic, c.PubTopic)
	set(keyPayload, c.PubPayload != d.PubPayload, c.PubPayload)
	set(keyPubQoS, c.PubQoS != d.PubQoS, strconv.Itoa(int(c.PubQoS)))
	set(keyRetain, c.PubRetain != d.PubRetain, strconv.FormatBool(c.PubRetain))
	set(keyCount, c.PubCount != d.PubCount, strconv.Itoa(c.PubCount))
	set(keyWindow, c.Window != d.Window, strconv.Itoa(c.Window))
	set(keyWill, c.WillTopic != d.WillTopic, c.WillTopic)
	set(keyWillMsg, c.WillPayload != d.WillPayload, c.WillPayload)
	set(keyWillQoS, c.WillQoS != d.WillQoS, strconv.Itoa(int(c.WillQoS)))
	set(keyWillRet, c.WillRetain != d.WillRetain, strconv.FormatBool(c.WillRetain))
	set(keyNet, c.Net != d.Net, c.Net)
}

// ErrBadValue reports a query parameter whose value was ignored.
var ErrBadValue = errors.New("expconfig: bad value")

// ParsePlayground reads a configuration from q, starting from the default.
// A value that is not valid (a QoS of 3, a filter with # not last…) is
// ignored, the default kept, and reported in the errors, so a mistyped link
// still opens a working page.
func ParsePlayground(q url.Values) (Playground, []error) {
	c := DefaultPlayground()
	var errs []error
	bad := func(key string, err error) {
		errs = append(errs, fmt.Errorf("%w: %s=%q: %v", ErrBadValue, key, q.Get(key), err))
	}
	boolean := func(key string, dst *bool) {
		if !q.Has(key) {
			return
		}
		v, err := strconv.ParseBool(q.Get(key))
		if err != nil {
			bad(key, err)
			return
		}
		*dst = v
	}
	qos := func(key string, dst *byte) {
		if !q.Has(key) {
			return
		}
		v, err := strconv.Atoi(q.Get(key))
		if err != nil || v < 0 || v > 2 {
			bad(key, errors.New("QoS is 0, 1 or 2"))
			return
		}
		*dst = byte(v)
	}
	boolean(keyClean, &c.Clean)
	boolean(keyReconnect, &c.Reconnect)
	boolean(keyRetain, &c.PubRetain)
	boolean(keyWillRet, &c.WillRetain)
	qos(keyWillQoS, &c.WillQoS)
	qos(keySubQoS, &c.SubQoS)
	qos(keyPubQoS, &c.PubQoS)
	number := func(key string, dst *int, lo, hi int, what string) {
		if !q.Has(key) {
			return
		}
		v, err := strconv.Atoi(q.Get(key))
		if err != nil || v < lo || v > hi {
			bad(key, fmt.Errorf("%s from %d to %d", what, lo, hi))
			return
		}
		*dst = v
	}
	number(keyKeepAlive, &c.KeepAlive, 1, 65535, "seconds")
	number(keyCount, &c.PubCount, 1, MaxCount, "messages")
	number(keyWindow, &c.Window, 1, MaxWindow, "messages")
	if q.Has(keySubFilter) {
		if err := topic.ValidateFilter(q.Get(keySubFilter)); err != nil {
			bad(keySubFilter, err)
		} else {
			c.SubFilter = q.Get(keySubFilter)
		}
	}
	if q.Has(keyPubTopic) {
		if err := topic.ValidateName(q.Get(keyPubTopic)); err != nil {
			bad(keyPubTopic, err)
		} else {
			c.PubTopic = q.Get(keyPubTopic)
		}
	}
	if q.Has(keyPayload) {
		c.PubPayload = q.Get(keyPayload)
	}
	if q.Has(keyWill) && q.Get(keyWill) != "" {
		if err := topic.ValidateName(q.Get(keyWill)); err != nil {
			bad(keyWill, err)
		} else {
			c.WillTopic = q.Get(keyWill)
		}
	}
	if q.Has(keyWillMsg) {
		c.WillPayload = q.Get(keyWillMsg)
	}
	if q.Has(keyNet) && q.Get(keyNet) != "" {
		if _, ok := netcond.PresetByID(q.Get(keyNet)); !ok {
			var ids []string
			for _, p := range netcond.Presets {
				ids = append(ids, p.ID)
			}
			bad(keyNet, fmt.Errorf("a network preset: %s", strings.Join(ids, ", ")))
		} else {
			c.Net = q.Get(keyNet)
		}
	}
	return c, errs
}

// Autorun reports whether a link asks its page to start the experiment at
// once (autorun=1), as a course page's iframe does for a ready experiment
// next to its text. Only "1" counts, so that autorun=0 or a stray autorun=
// never starts traffic the learner did not ask for.
func Autorun(q url.Values) bool { return q.Get(keyAutorun) == "1" }

const (
	keyAutorun  = "autorun"
	keyScenario = "scenario"
	keyFlaky    = "flaky"
	keyLesson   = "lesson"
)

// Task1 is the configuration of Task 1's page: a scenario, a QoS for each
// of its streams, and whether the network is flaky.
type Task1 struct {
	Scenario string
	Choices  map[string]byte // stream id → QoS
	Flaky    bool
}

// ParseTask1 reads Task 1's configuration from q over def: scenario=ID
// picks one of scenarios (scenario id → its stream ids), STREAM=0|1|2 a
// stream's QoS (e.g. smarthome's light=0&security=1&doorlock=2), flaky=
// true|false the network. Bad values are ignored and reported.
func ParseTask1(q url.Values, def Task1, scenarios map[string][]string) (Task1, []error) {
	c := Task1{Scenario: def.Scenario, Flaky: def.Flaky, Choices: make(map[string]byte, len(def.Choices))}
	for k, v := range def.Choices {
		c.Choices[k] = v
	}
	var errs []error
	bad := func(key string, err error) {
		errs = append(errs, fmt.Errorf("%w: %s=%q: %v", ErrBadValue, key, q.Get(key), err))
	}
	if q.Has(keyScenario) {
		if _, ok := scenarios[q.Get(keyScenario)]; ok {
			c.Scenario = q.Get(keyScenario)
		} else {
			bad(keyScenario, fmt.Errorf("no such scenario"))
		}
	}
	if q.Has(keyFlaky) {
		if v, err := strconv.ParseBool(q.Get(keyFlaky)); err != nil {
			bad(keyFlaky, err)
		} else {
			c.Flaky = v
		}
	}
	for _, streams := range scenarios {
		for _, id := range streams {
			if !q.Has(id) {
				continue
			}
			v, err := strconv.Atoi(q.Get(id))
			if err != nil || v < 0 || v > 2 {
				bad(id, errors.New("QoS is 0, 1 or 2"))
				continue
			}
			c.Choices[id] = byte(v)
		}
	}
	return c, errs
}

// ParseLesson reads which of the fault lab's lessons a link picks:
// lesson=0, 1 or 2 (its QoS). ok is false without one; a bad value is
// reported.
func ParseLesson(q url.Values) (qos byte, ok bool, err error) {
	if !q.Has(keyLesson) {
		return 0, false, nil
	}
	v, convErr := strconv.Atoi(q.Get(keyLesson))
	if convErr != nil || v < 0 || v > 2 {
		return 0, false, fmt.Errorf("%w: %s=%q: the lesson is a QoS: 0, 1 or 2", ErrBadValue, keyLesson, q.Get(keyLesson))
	}
	return byte(v), true, nil
}
