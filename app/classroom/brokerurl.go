package classroom

import (
	"net/url"
	"strings"
)

// BrokerURL is the /mqtt URL base with the learner's token and room added,
// for a tab of a classroom served from pageHost: the gateway reads them
// from the URL, since a browser's WebSocket sends no headers of its own.
// The token goes to no one else: base is returned unchanged when it is not
// a WebSocket URL of pageHost (or does not parse). An empty room is left
// out.
func BrokerURL(base, pageHost, token, room string) string {
	u, err := url.Parse(base)
	if err != nil || !strings.EqualFold(u.Host, pageHost) || (u.Scheme != "ws" && u.Scheme != "wss") {
		return base
	}
	q := u.Query()
	q.Set(LearnerParam, token)
	if room != "" {
		q.Set(RoomParam, room)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// WithoutToken is a broker URL as a page shows and logs it: without the
// learner token, which would let whoever reads the screen take over the
// tab's sessions. BrokerURL puts it back when the tab connects. A URL
// without a token (or that does not parse) is returned unchanged.
func WithoutToken(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !u.Query().Has(LearnerParam) {
		return raw
	}
	q := u.Query()
	q.Del(LearnerParam)
	u.RawQuery = q.Encode()
	return u.String()
}
