//go:build !js

package capworker

import (
	"context"

	"qosplayground/app/wiretap"
)

// Natively there is no Web Worker and nothing to save files into: package
// capture is called directly (its tests, the server's tests).

var errNoBrowser = &Error{Kind: Failed, Detail: "the capture worker runs only in a browser"}

// ExportPcapng needs a browser.
func ExportPcapng(context.Context, []wiretap.Packet, string) error { return errNoBrowser }

// SaveJSON needs a browser.
func SaveJSON(context.Context, Head, []wiretap.Packet, string) error { return errNoBrowser }

// Import needs a browser.
func Import(context.Context, string, int) ([]wiretap.Packet, bool, error) {
	return nil, false, errNoBrowser
}
