package precompress

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// LengthHeader is the response header that carries the uncompressed size
// of the file, whichever copy is sent. Content-Length counts the bytes on
// the wire, but a page that shows download progress counts the bytes it
// reads, which are decompressed: go-app's loader reads this header instead
// (app.Handler.WasmContentLengthHeader), or its bar would pass 100%.
const LengthHeader = "X-Uncompressed-Length"

// Handler serves the file at Path, at any URL it is mounted on, in the
// best content coding that the request accepts and that has a valid copy on
// disk: brotli, then gzip, then the file as it is.
//
// Caching: the URL of app.wasm never changes, so a response must not be
// reused without asking the server. Every response says
// "Cache-Control: no-cache" with a strong ETag made of the file's SHA-256
// and the coding; a browser revalidates with If-None-Match and gets a
// 304 of a few hundred bytes while the file is unchanged. (The service worker
// keeps its own copy anyway; this governs the HTTP cache and proxies.)
// Responses carry "Vary: Accept-Encoding" so that no cache hands a brotli
// body to a client that did not ask for it.
//
// Range requests get the uncompressed file, with ranges as
// http.ServeContent does them: a range of a compressed copy is legal HTTP
// but nobody needs one, and byte offsets that mean different things in each
// coding are a trap for resumable downloads. The ETag differs per coding, so
// an If-Range from a compressed download never matches the uncompressed one
// and the whole file is sent.
type Handler struct {
	// Path is the uncompressed file; its copies are Path+".br" and
	// Path+".gz".
	Path string
	// ContentType is the media type of the file, e.g. "application/wasm".
	ContentType string
}

// ServeHTTP serves GET and HEAD.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "precompress: only GET and HEAD", http.StatusMethodNotAllowed)
		return
	}
	// The coding is chosen by a request header: say so even on errors,
	// so that no cache keeps one answer for every client.
	w.Header().Add("Vary", "Accept-Encoding")
	id, err := os.Open(h.Path)
	if err != nil {
		msg := fmt.Sprintf("%s is not on the server: build it (make build)", filepath.Base(h.Path))
		if !os.IsNotExist(err) {
			msg = fmt.Sprintf("%s cannot be read on the server", filepath.Base(h.Path))
		}
		http.Error(w, msg, http.StatusNotFound)
		return
	}
	defer id.Close()
	idInfo, err := id.Stat()
	if err != nil || !idInfo.Mode().IsRegular() {
		http.Error(w, fmt.Sprintf("%s cannot be read on the server", filepath.Base(h.Path)), http.StatusNotFound)
		return
	}
	sum, err := fileSum(id, idInfo)
	if err != nil {
		http.Error(w, fmt.Sprintf("%s cannot be read on the server", filepath.Base(h.Path)), http.StatusInternalServerError)
		return
	}

	body, coding, size := io.ReadSeeker(id), Identity, idInfo.Size()
	if r.Header.Get("Range") == "" {
		for _, c := range Negotiate(r.Header.Values("Accept-Encoding")) {
			if c == Identity {
				break
			}
			f, info, ok := openCopy(h.Path, c, id, idInfo, sum)
			if ok {
				defer f.Close()
				body, coding, size = f, c, info.Size()
				break
			}
		}
	}

	hdr := w.Header()
	hdr.Set("Content-Type", h.ContentType)
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set(LengthHeader, strconv.FormatInt(idInfo.Size(), 10))
	etag := sum[:20]
	if coding != Identity {
		hdr.Set("Content-Encoding", coding)
		etag += "-" + coding
		// ServeContent leaves Content-Length out when Content-Encoding
		// is set; the copy's size is exact, so give it, but only on a
		// 200 (a 304 or 412 has no body).
		w = &lengthOn200{ResponseWriter: w, n: size}
	}
	hdr.Set("ETag", `"`+etag+`"`)
	// No modification time: the ETag alone decides revalidation, so a
	// copy renamed into place with an older mtime cannot look fresh.
	http.ServeContent(w, r, "", time.Time{}, body)
}

// lengthOn200 sets Content-Length when the status is 200.
type lengthOn200 struct {
	http.ResponseWriter
	n int64
}

func (w *lengthOn200) WriteHeader(code int) {
	if code == http.StatusOK {
		w.Header().Set("Content-Length", strconv.FormatInt(w.n, 10))
	}
	w.ResponseWriter.WriteHeader(code)
}

// Copy describes one compressed copy of a file.
type Copy struct {
	Coding string // Brotli or Gzip
	Size   int64  // bytes on disk, when it exists
	// Problem is why it cannot be served: "missing", or "stale" when it
	// does not decompress to the file. Empty when it is served.
	Problem string
}

// String says it for a log: "2574417 bytes", "missing" or "stale".
func (c Copy) String() string {
	if c.Problem != "" {
		return c.Problem
	}
	return strconv.FormatInt(c.Size, 10) + " bytes"
}

// Status checks path's brotli and gzip copies, as the handler would before
// serving them. The server logs it at start-up, so that an operator sees
// at once whether `make build` made the copies.
func Status(path string) ([]Copy, error) {
	id, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer id.Close()
	idInfo, err := id.Stat()
	if err != nil {
		return nil, err
	}
	sum, err := fileSum(id, idInfo)
	if err != nil {
		return nil, err
	}
	var out []Copy
	for _, c := range []string{Brotli, Gzip} {
		f, info, ok := openCopy(path, c, id, idInfo, sum)
		cp := Copy{Coding: c}
		switch {
		case ok:
			cp.Size = info.Size()
			f.Close()
		case info == nil:
			cp.Problem = "missing"
		default:
			cp.Size, cp.Problem = info.Size(), "stale"
		}
		out = append(out, cp)
	}
	return out, nil
}

// UpToDate reports whether every copy of path can be served.
func UpToDate(path string) bool {
	st, err := Status(path)
	if err != nil {
		return false
	}
	for _, c := range st {
		if c.Problem != "" {
			return false
		}
	}
	return true
}

// openCopy opens path's copy in coding c and reports whether it holds the
// same content as the file (sum is the file's SHA-256). info is nil when
// there is no copy.
func openCopy(path, c string, id *os.File, idInfo os.FileInfo, sum string) (f *os.File, info os.FileInfo, ok bool) {
	f, err := os.Open(path + suffix[c])
	if err != nil {
		return nil, nil, false
	}
	info, err = f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, false
	}
	if !copyMatches(f, info, c, sum) {
		f.Close()
		return nil, info, false
	}
	return f, info, true
}

// The two memos below remember, per file on disk, what reading it taught:
// a file's SHA-256 and whether a copy decompresses to a given SHA-256.
// A file is known by its device and inode, size and modification time
// (fileKey); a rebuilt or rewritten file has a new key, and is read again.
var (
	// sumsMu guards sums.
	sumsMu sync.Mutex
	sums   = make(map[fileKey]string)

	// copiesMu guards copies, and is held while a copy is checked, so
	// that concurrent first requests decompress it once.
	copiesMu sync.Mutex
	copies   = make(map[copyKey]bool)
)

type fileKey struct {
	path  string
	size  int64
	mtime time.Time
	ino   uint64
}

type copyKey struct {
	copy fileKey
	sum  string
}

func keyOf(f *os.File, info os.FileInfo) fileKey {
	return fileKey{path: f.Name(), size: info.Size(), mtime: info.ModTime(), ino: inode(info)}
}

// fileSum returns the hex SHA-256 of f, rewinding it afterwards.
func fileSum(f *os.File, info os.FileInfo) (string, error) {
	key := keyOf(f, info)
	sumsMu.Lock()
	defer sumsMu.Unlock()
	if s, ok := sums[key]; ok {
		return s, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, info.Size())); err != nil {
		return "", err
	}
	s := hex.EncodeToString(h.Sum(nil))
	sums[key] = s
	return s, nil
}

// copyMatches reports whether the copy f decompresses to content whose
// SHA-256 is sum. A copy that is not valid brotli or gzip does not match.
func copyMatches(f *os.File, info os.FileInfo, coding, sum string) bool {
	key := copyKey{keyOf(f, info), sum}
	copiesMu.Lock()
	defer copiesMu.Unlock()
	if ok, known := copies[key]; known {
		return ok
	}
	ok := false
	if zr, err := decoder(coding, io.NewSectionReader(f, 0, info.Size())); err == nil {
		h := sha256.New()
		if _, err := io.Copy(h, zr); err == nil {
			ok = hex.EncodeToString(h.Sum(nil)) == sum
		}
	}
	copies[key] = ok
	return ok
}
