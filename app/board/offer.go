package board

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"time"
)

// Offer is the teacher's suggestion of the next experiment: a link of the
// playground (a page and its settings, in the same query format as the
// embed presets), published retained to the room's offer topic. A tab
// shows it as a banner with "open" and "dismiss"; it never navigates by
// itself.
type Offer struct {
	V    int       `json:"v"`
	Link string    `json:"link"` // a path and query of the playground, e.g. /lab/task1?scenario=smarthome
	At   time.Time `json:"at"`   // when it was sent: names the offer (dismissed once, not again)
}

// ErrBadLink reports an offer's link that is not one of the playground's
// pages.
var ErrBadLink = errors.New("board: the link must be a page of the playground, e.g. /lab/task1?scenario=smarthome")

// dropped are the query parameters an offer never carries: the page starts
// nothing by itself (autorun), stays the whole app (embed), keeps the
// learner's language and room, and no token travels in a link.
var dropped = []string{"autorun", "embed", "lang", "room", "learner", "teacher", "key"}

// CleanLink checks a link the teacher typed or pasted (a whole address or
// a path) against pages, the playground's page paths, and returns its
// path and query: the host is dropped, so an offer can only lead to a page
// of the server the learner is on.
func CleanLink(link string, pages []string) (string, error) {
	u, err := url.Parse(link)
	if err != nil || !slices.Contains(pages, u.Path) {
		return "", ErrBadLink
	}
	q := u.Query()
	for _, k := range dropped {
		q.Del(k)
	}
	out := u.Path
	if len(q) > 0 {
		out += "?" + q.Encode()
	}
	if len(out) > 1024 {
		return "", ErrBadLink
	}
	return out, nil
}

// Encode is the offer as it is published.
func (o Offer) Encode() []byte {
	o.V = Version
	b, _ := json.Marshal(o)
	return b
}

// DecodeOffer reads a published offer and checks its link against pages
// again: a tab trusts no link it did not check itself.
func DecodeOffer(b []byte, pages []string) (Offer, error) {
	var o Offer
	if err := json.Unmarshal(b, &o); err != nil || o.V < 1 {
		return Offer{}, errors.New("board: not an offer")
	}
	link, err := CleanLink(o.Link, pages)
	if err != nil {
		return Offer{}, err
	}
	o.Link = link
	return o, nil
}

// ID names the offer, for a tab to remember it was dismissed.
func (o Offer) ID() string { return o.At.UTC().Format(time.RFC3339Nano) + " " + o.Link }
