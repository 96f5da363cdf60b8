// Package headless holds the one list of flags Debian's headless Chromium is
// started with, by the browser tests and by make bench: a fresh profile, no
// sandbox (containers), no GPU, no QUIC and none of the background traffic
// (component updates, sync) that a machine without internet would wait on.
package headless

import "github.com/chromedp/chromedp"

// Options returns chromedp's defaults (headless among them) with the
// executable at path, the profile in profileDir, a 1280×900 window, the
// flags above, and extra last.
func Options(path, profileDir string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profileDir),
		chromedp.WindowSize(1280, 900),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	return append(opts, extra...)
}
