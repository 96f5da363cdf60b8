package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"qosplayground/app/ui"
)

func TestAcceptLanguages(t *testing.T) {
	for _, tt := range []struct {
		headers []string
		want    []string
	}{
		{[]string{"ja,en-US;q=0.9,en;q=0.8"}, []string{"ja", "en-US", "en"}},
		{[]string{"en;q=0.5, ja"}, []string{"ja", "en"}},
		{[]string{"fr, ja;q=0, en;q=0.1"}, []string{"fr", "en"}},
		{[]string{"de", "ja-JP;q=0.7"}, []string{"de", "ja-JP"}},
		{nil, []string{}},
	} {
		if got := acceptLanguages(tt.headers); !slices.Equal(got, tt.want) {
			t.Errorf("acceptLanguages(%q) = %q, want %q", tt.headers, got, tt.want)
		}
	}
}

// TestPageLang: every page is pre-rendered in the learner's language:
// ?lang=, else the cookie of their choice, else Accept-Language; <html
// lang>, the title, the status and the page's own texts in it; caches keep
// the languages apart (Vary, an ETag per language); go-app's false boolean
// attributes are gone and the controls wait for the app.
func TestPageLang(t *testing.T) {
	worker, err := appWorkerJS(nil)
	if err != nil {
		t.Fatal(err)
	}
	ui.Routes()
	srv := httptest.NewServer(filterApp(newLangPages("../web", app.Environment{}, worker)))
	defer srv.Close()

	get := func(path string, headers ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "identity")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}

	for _, tt := range []struct {
		path    string
		headers []string
		want    string
	}{
		{"/", nil, "en"},
		{"/", []string{"Accept-Language", "ja,en;q=0.5"}, "ja"},
		{"/", []string{"Accept-Language", "fr, en;q=0.9, ja;q=0.8"}, "en"},
		{"/lab/task1", []string{"Accept-Language", "ja", "Cookie", ui.CookieLang + "=en"}, "en"},
		{"/lab/faults", []string{"Accept-Language", "en", "Cookie", ui.CookieLang + "=ja"}, "ja"},
		{"/lab/publisher?lang=ja", []string{"Accept-Language", "en", "Cookie", ui.CookieLang + "=en"}, "ja"},
		{"/lab/subscriber?lang=en&embed=1", []string{"Accept-Language", "ja"}, "en"},
		{"/lab/integration?lang=xx", []string{"Accept-Language", "ja"}, "ja"},
	} {
		res, body := get(tt.path, tt.headers...)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %s", tt.path, res.Status)
		}
		if !strings.Contains(body, `<html lang="`+tt.want+`">`) || res.Header.Get("Content-Language") != tt.want {
			t.Errorf("%s %q: Content-Language %q, page %.80q; want %s", tt.path, tt.headers, res.Header.Get("Content-Language"), body, tt.want)
		}
		japanese := strings.Contains(body, "起動中") && strings.Contains(body, "QoS プレイグラウンド")
		if japanese != (tt.want == "ja") {
			t.Errorf("%s %q: Japanese texts %v, want the page in %s", tt.path, tt.headers, japanese, tt.want)
		}
		vary := strings.Join(res.Header.Values("Vary"), ",")
		if !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
			t.Errorf("%s: Vary %q, want Accept-Language and Cookie", tt.path, vary)
		}
		if etag := res.Header.Get("ETag"); !strings.HasSuffix(etag, "-"+tt.want+`"`) {
			t.Errorf("%s: ETag %s, want one per language", tt.path, etag)
		}
		if falseBoolean.MatchString(body) {
			t.Errorf("%s: a boolean attribute =\"false\" (true in HTML): %s", tt.path, falseBoolean.FindString(body))
		}
		if trueARIA.MatchString(body) {
			t.Errorf("%s: a bare ARIA attribute: %s", tt.path, trueARIA.FindString(body))
		}
		if n := strings.Count(body, "<button"); n == 0 || n != strings.Count(body, "<button disabled") {
			t.Errorf("%s: %d buttons, %d of them disabled; want all disabled until the app runs", tt.path, n, strings.Count(body, "<button disabled"))
		}
	}

	// The English page revalidated as Japanese is sent again, not "not
	// modified".
	en, _ := get("/", "Accept-Language", "en")
	if res, _ := get("/", "Accept-Language", "en", "If-None-Match", en.Header.Get("ETag")); res.StatusCode != http.StatusNotModified {
		t.Errorf("the same page revalidated: %s, want 304", res.Status)
	}
	if res, body := get("/", "Accept-Language", "ja", "If-None-Match", en.Header.Get("ETag")); res.StatusCode != http.StatusOK || !strings.Contains(body, `lang="ja"`) {
		t.Errorf("the English page's ETag on a Japanese request: %s, want the Japanese page", res.Status)
	}
	// Files are the same in every language.
	if res, _ := get("/app.js", "Accept-Language", "ja"); res.StatusCode != http.StatusOK || res.Header.Get("Content-Language") != "" {
		t.Errorf("/app.js: %s, Content-Language %q", res.Status, res.Header.Get("Content-Language"))
	}
	// An embed link's pre-render is the embedded view.
	if _, body := get("/lab/task1?embed=1&lang=ja"); !strings.Contains(body, `id="open-full"`) || strings.Contains(body, `class="nav"`) {
		t.Error("the embed link's pre-render is the whole page")
	}
}
