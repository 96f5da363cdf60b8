package precompress

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// testFile writes a file that compresses well but not trivially (random
// words from a small vocabulary, like code) and returns its path.
func testFile(t *testing.T) (path string, content []byte) {
	t.Helper()
	words := []string{"mqtt", "publish", "puback", "pubrec", "pubrel", "pubcomp", "qos", "0x32", "\x00\x01", "wasm"}
	var b bytes.Buffer
	r := make([]byte, 1)
	for b.Len() < 200_000 {
		rand.Read(r)
		b.WriteString(words[int(r[0])%len(words)])
	}
	path = filepath.Join(t.TempDir(), "app.wasm")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, b.Bytes()
}

// fast is quick enough for tests; the build uses the zero Options.
var fast = Options{BrotliQuality: 4, GzipLevel: 5}

func TestCompressWritesValidCopies(t *testing.T) {
	path, content := testFile(t)
	if err := Compress(path, fast); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{Brotli, Gzip} {
		f, err := os.Open(path + suffix[c])
		if err != nil {
			t.Fatal(err)
		}
		zr, err := decoder(c, f)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		got, err := io.ReadAll(zr)
		f.Close()
		if err != nil || !bytes.Equal(got, content) {
			t.Errorf("%s copy decompresses to %d bytes (err %v), want the %d bytes of the file", c, len(got), err, len(content))
		}
		info, _ := os.Stat(path + suffix[c])
		if info.Size() >= int64(len(content)) {
			t.Errorf("%s copy is %d bytes, not smaller than the file's %d", c, info.Size(), len(content))
		}
	}
	// Only the file and its two copies: no temporary file left behind.
	entries, _ := os.ReadDir(filepath.Dir(path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"app.wasm", "app.wasm.br", "app.wasm.gz"}; !slices.Equal(names, want) {
		t.Errorf("directory holds %q, want %q", names, want)
	}
}

func TestCompressRefusesBadInput(t *testing.T) {
	path, _ := testFile(t)
	for _, tt := range []struct {
		scenario string
		path     string
		opt      Options
		want     string
	}{
		{"missing file", path + ".nope", fast, "no such file"},
		{"brotli quality too high", path, Options{BrotliQuality: 12}, "brotli quality 12"},
		{"gzip level too high", path, Options{GzipLevel: 10}, "gzip level 10"},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			err := Compress(tt.path, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compress = %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestNegotiate(t *testing.T) {
	for _, tt := range []struct {
		scenario string
		header   []string
		want     []string
	}{
		{"no header", nil, []string{"identity"}},
		{"empty header", []string{""}, []string{"identity"}},
		{"Chrome over HTTPS", []string{"gzip, deflate, br, zstd"}, []string{"br", "gzip", "identity"}},
		{"gzip only", []string{"gzip, deflate"}, []string{"gzip", "identity"}},
		{"x-gzip alias", []string{"x-gzip"}, []string{"gzip", "identity"}},
		{"q prefers gzip", []string{"br;q=0.5, gzip;q=0.9"}, []string{"gzip", "br", "identity"}},
		{"q=0 refuses br", []string{"br;q=0, gzip"}, []string{"gzip", "identity"}},
		{"case and spaces", []string{" BR ; Q=1.0 , GZip"}, []string{"br", "gzip", "identity"}},
		{"wildcard", []string{"*"}, []string{"br", "gzip", "identity"}},
		{"wildcard minus br", []string{"*, br;q=0"}, []string{"gzip", "identity"}},
		{"identity preferred", []string{"identity, gzip;q=0.5"}, []string{"identity", "gzip"}},
		{"identity refused still last", []string{"br, identity;q=0"}, []string{"br", "identity"}},
		{"malformed q ignored", []string{"br;q=abc, gzip;q=2, deflate"}, []string{"identity"}},
		{"two header lines", []string{"gzip;q=0.2", "br;q=0.4"}, []string{"br", "gzip", "identity"}},
		{"unknown codings only", []string{"zstd, deflate"}, []string{"identity"}},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			if got := Negotiate(tt.header); !slices.Equal(got, tt.want) {
				t.Errorf("Negotiate(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

// get sends a request to h and returns the response and its body as sent
// (still compressed).
func get(t *testing.T, h http.Handler, method string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest(method, srv.URL+"/web/app.wasm", nil)
	for k, v := range header {
		req.Header[k] = v
	}
	// A transport that does not decompress, so the test sees the wire.
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func decode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip body: %v", err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s body: %v", coding, err)
	}
	return out
}

func TestHandlerChoosesByAcceptEncoding(t *testing.T) {
	path, content := testFile(t)
	if err := Compress(path, fast); err != nil {
		t.Fatal(err)
	}
	h := &Handler{Path: path, ContentType: "application/wasm"}
	etags := map[string]string{}
	for _, tt := range []struct {
		scenario string
		accept   string
		want     string // Content-Encoding, "" for none
	}{
		{"brotli and gzip offered", "gzip, deflate, br", "br"},
		{"gzip only", "gzip", "gzip"},
		{"gzip preferred by q", "br;q=0.1, gzip;q=0.8", "gzip"},
		{"brotli refused", "br;q=0, gzip", "gzip"},
		{"nothing offered", "", ""},
		{"unknown coding only", "zstd", ""},
	} {
		t.Run(tt.scenario, func(t *testing.T) {
			hdr := http.Header{}
			if tt.accept != "" {
				hdr.Set("Accept-Encoding", tt.accept)
			}
			res, body := get(t, h, http.MethodGet, hdr)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			if got := res.Header.Get("Content-Encoding"); got != tt.want {
				t.Errorf("Content-Encoding %q, want %q", got, tt.want)
			}
			if got := res.Header.Get("Content-Type"); got != "application/wasm" {
				t.Errorf("Content-Type %q, want application/wasm", got)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary %q, want Accept-Encoding", got)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", got)
			}
			if got := res.Header.Get("Content-Length"); got != strconv.Itoa(len(body)) {
				t.Errorf("Content-Length %q for a body of %d bytes", got, len(body))
			}
			if got := res.Header.Get(LengthHeader); got != strconv.Itoa(len(content)) {
				t.Errorf("%s %q, want the file's %d", LengthHeader, got, len(content))
			}
			if got := decode(t, tt.want, body); !bytes.Equal(got, content) {
				t.Errorf("the body decodes to %d bytes that are not the file", len(got))
			}
			etag := res.Header.Get("ETag")
			if !strings.HasPrefix(etag, `"`) || len(etag) < 10 {
				t.Errorf("ETag %q, want a strong ETag", etag)
			}
			if other, seen := etags[etag]; seen && other != tt.want {
				t.Errorf("ETag %s for both %q and %q: one ETag per coding", etag, other, tt.want)
			}
			etags[etag] = tt.want
		})
	}
}

func TestHandlerRevalidates(t *testing.T) {
	path, _ := testFile(t)
	if err := Compress(path, fast); err != nil {
		t.Fatal(err)
	}
	h := &Handler{Path: path, ContentType: "application/wasm"}
	br := http.Header{"Accept-Encoding": {"br"}}
	res, _ := get(t, h, http.MethodGet, br)
	etag := res.Header.Get("ETag")

	// The same coding, same ETag: 304, no body.
	res, body := get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br"}, "If-None-Match": {etag}})
	if res.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("revalidation: %d with %d bytes, want 304 and nothing", res.StatusCode, len(body))
	}
	if res.Header.Get("ETag") != etag {
		t.Errorf("304 ETag %q, want %q", res.Header.Get("ETag"), etag)
	}
	// A client that now gets gzip must not be told its brotli copy is
	// still good.
	res, _ = get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {etag}})
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip with the brotli ETag: %d %q, want 200 gzip", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	// A rebuilt file (and rebuilt copies) has a new ETag.
	if err := os.WriteFile(path, []byte("rebuilt"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Compress(path, fast); err != nil {
		t.Fatal(err)
	}
	res, body = get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br"}, "If-None-Match": {etag}})
	if res.StatusCode != http.StatusOK || string(decode(t, "br", body)) != "rebuilt" {
		t.Errorf("after a rebuild: %d, want 200 with the new content", res.StatusCode)
	}
}

func TestHandlerHead(t *testing.T) {
	path, _ := testFile(t)
	if err := Compress(path, fast); err != nil {
		t.Fatal(err)
	}
	h := &Handler{Path: path, ContentType: "application/wasm"}
	for _, accept := range []string{"br", "gzip", ""} {
		full, body := get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {accept}})
		head, headBody := get(t, h, http.MethodHead, http.Header{"Accept-Encoding": {accept}})
		if head.StatusCode != http.StatusOK || len(headBody) != 0 {
			t.Errorf("HEAD (%q): %d with %d bytes, want 200 and no body", accept, head.StatusCode, len(headBody))
		}
		for _, k := range []string{"Content-Length", "Content-Encoding", "ETag", "Content-Type", "Vary"} {
			if head.Header.Get(k) != full.Header.Get(k) {
				t.Errorf("HEAD (%q) %s %q, GET says %q", accept, k, head.Header.Get(k), full.Header.Get(k))
			}
		}
		if full.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("GET (%q) Content-Length %q for %d bytes", accept, full.Header.Get("Content-Length"), len(body))
		}
	}
}

func TestHandlerRangeServesIdentity(t *testing.T) {
	path, content := testFile(t)
	if err := Compress(path, fast); err != nil {
		t.Fatal(err)
	}
	h := &Handler{Path: path, ContentType: "application/wasm"}
	res, body := get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br, gzip"}, "Range": {"bytes=100-199"}})
	if res.StatusCode != http.StatusPartialContent {
		t.Fatalf("status %d, want 206", res.StatusCode)
	}
	if got := res.Header.Get("Content-Encoding"); got != "" {
		t.Errorf("a range came %s-encoded, want the uncompressed file", got)
	}
	if !bytes.Equal(body, content[100:200]) {
		t.Errorf("range body %q, want bytes 100-199 of the file", body)
	}
	if got, want := res.Header.Get("Content-Range"), "bytes 100-199/"+strconv.Itoa(len(content)); got != want {
		t.Errorf("Content-Range %q, want %q", got, want)
	}
	// Resuming a brotli download: If-Range with the brotli ETag does not
	// match the uncompressed file, so the whole file comes back.
	br, _ := get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br"}})
	res, body = get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br"}, "Range": {"bytes=100-"}, "If-Range": {br.Header.Get("ETag")}})
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, content) {
		t.Errorf("If-Range with the brotli ETag: %d with %d bytes, want 200 and the whole file", res.StatusCode, len(body))
	}
}

func TestHandlerFallsBack(t *testing.T) {
	t.Run("no copies", func(t *testing.T) {
		// `go run ./server` without make: the file only.
		path, content := testFile(t)
		h := &Handler{Path: path, ContentType: "application/wasm"}
		res, body := get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br, gzip"}})
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, content) {
			t.Errorf("%d %q with %d bytes, want 200, uncompressed, the file", res.StatusCode, res.Header.Get("Content-Encoding"), len(body))
		}
	})
	t.Run("brotli copy only", func(t *testing.T) {
		path, content := testFile(t)
		if err := Compress(path, fast); err != nil {
			t.Fatal(err)
		}
		os.Remove(path + ".br")
		h := &Handler{Path: path, ContentType: "application/wasm"}
		res, body := get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br, gzip"}})
		if res.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(decode(t, "gzip", body), content) {
			t.Errorf("Content-Encoding %q, want gzip (no brotli copy)", res.Header.Get("Content-Encoding"))
		}
	})
	t.Run("stale copies", func(t *testing.T) {
		// app.wasm rebuilt after the copies were made: the copies hold
		// the old program and must never be served.
		path, _ := testFile(t)
		if err := Compress(path, fast); err != nil {
			t.Fatal(err)
		}
		fresh := []byte("a newer build of the program")
		if err := os.WriteFile(path, fresh, 0o644); err != nil {
			t.Fatal(err)
		}
		h := &Handler{Path: path, ContentType: "application/wasm"}
		res, body := get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br, gzip"}})
		if res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, fresh) {
			t.Errorf("Content-Encoding %q with %d bytes, want the new file uncompressed", res.Header.Get("Content-Encoding"), len(body))
		}
		st, err := Status(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range st {
			if c.Problem != "stale" {
				t.Errorf("Status: %s copy %v, want stale", c.Coding, c)
			}
		}
		if UpToDate(path) {
			t.Error("UpToDate with stale copies")
		}
	})
	t.Run("garbage copy", func(t *testing.T) {
		path, content := testFile(t)
		if err := Compress(path, fast); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path+".br", []byte("not brotli at all"), 0o644)
		h := &Handler{Path: path, ContentType: "application/wasm"}
		res, body := get(t, h, http.MethodGet, http.Header{"Accept-Encoding": {"br, gzip"}})
		if res.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(decode(t, "gzip", body), content) {
			t.Errorf("Content-Encoding %q, want gzip past a broken brotli copy", res.Header.Get("Content-Encoding"))
		}
	})
	t.Run("no file", func(t *testing.T) {
		h := &Handler{Path: filepath.Join(t.TempDir(), "app.wasm"), ContentType: "application/wasm"}
		res, body := get(t, h, http.MethodGet, nil)
		if res.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "make build") {
			t.Errorf("%d %q, want 404 saying to build it", res.StatusCode, body)
		}
	})
}

func TestHandlerRefusesOtherMethods(t *testing.T) {
	path, _ := testFile(t)
	h := &Handler{Path: path, ContentType: "application/wasm"}
	res, _ := get(t, h, http.MethodPost, nil)
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d Allow %q, want 405 with Allow: GET, HEAD", res.StatusCode, res.Header.Get("Allow"))
	}
}

func TestStatus(t *testing.T) {
	path, _ := testFile(t)
	st, err := Status(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 || st[0].Problem != "missing" || st[1].Problem != "missing" || UpToDate(path) {
		t.Errorf("before Compress: %v, want both missing", st)
	}
	if err := Compress(path, fast); err != nil {
		t.Fatal(err)
	}
	st, _ = Status(path)
	for _, c := range st {
		if c.Problem != "" || c.Size == 0 || c.String() != strconv.FormatInt(c.Size, 10)+" bytes" {
			t.Errorf("after Compress: %s copy %+v, want it served", c.Coding, c)
		}
	}
	if !UpToDate(path) {
		t.Error("after Compress: not UpToDate")
	}
	if _, err := Status(path + ".nope"); err == nil {
		t.Error("Status of a missing file: no error")
	}
}
