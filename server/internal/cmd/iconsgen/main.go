// Command iconsgen draws the playground's icons into web/: the PWA icons at
// 192 and 512 px, each as a plain icon ("purpose": "any") and a maskable
// one, and the SVG the page uses as its favicon.
//
// The design is three bars rising left to right, QoS 0, 1 and 2, the last
// in the app's highlight colour, on the app's accent blue (web/app.css).
// Maskable icons are cropped by the platform to a circle, a squircle or a
// rounded square; only a centred circle of 80% of the width is sure to be
// shown (the "safe zone"), so the maskable variant fills the whole square
// with the background and draws the bars smaller, well inside that circle.
//
// The PNGs are committed; run this after changing the design:
//
//	go run ./server/internal/cmd/iconsgen -out web
//
// A test checks that the committed files are what this program draws.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

// The colours of web/app.css: --accent, white, and the focus highlight.
var (
	accent    = color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	white     = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	highlight = color.NRGBA{0xff, 0xc8, 0x57, 0xff}
)

// box is a rounded rectangle in a 100×100 design space.
type box struct {
	x0, y0, x1, y1, r float64
	fill              color.NRGBA
}

// contains reports whether the point (x, y) is inside b.
func (b box) contains(x, y float64) bool {
	if x < b.x0 || x > b.x1 || y < b.y0 || y > b.y1 {
		return false
	}
	dx := math.Max(math.Max(b.x0+b.r-x, x-(b.x1-b.r)), 0)
	dy := math.Max(math.Max(b.y0+b.r-y, y-(b.y1-b.r)), 0)
	return dx*dx+dy*dy <= b.r*b.r
}

// bars are the three QoS bars, scaled by s about the centre of the square.
func bars(s float64) []box {
	const w, gap, base = 14, 7, 70
	heights := []float64{16, 28, 40}
	fills := []color.NRGBA{white, white, highlight}
	var out []box
	for i, h := range heights {
		x0 := 22 + float64(i)*(w+gap)
		b := box{x0, base - h, x0 + w, base, 2.5, fills[i]}
		scale := func(v float64) float64 { return 50 + (v-50)*s }
		out = append(out, box{scale(b.x0), scale(b.y0), scale(b.x1), scale(b.y1), b.r * s, b.fill})
	}
	return out
}

// design returns the shapes of an icon, back to front.
func design(maskable bool) []box {
	if maskable {
		// Full bleed; bars at 80% reach 28 units from the centre, inside
		// the safe zone's radius of 40 with room to spare.
		return append([]box{{0, 0, 100, 100, 0, accent}}, bars(0.8)...)
	}
	return append([]box{{0, 0, 100, 100, 20, accent}}, bars(1)...)
}

// draw renders shapes at size×size pixels, 4×4 samples a pixel for smooth
// edges.
func draw(shapes []box, size int) *image.NRGBA {
	const n = 4
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	unit := 100 / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < n; sy++ {
				for sx := 0; sx < n; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/n) * unit
					y := (float64(py) + (float64(sy)+0.5)/n) * unit
					for i := len(shapes) - 1; i >= 0; i-- {
						if s := shapes[i]; s.contains(x, y) {
							r, g, b, a = r+float64(s.fill.R), g+float64(s.fill.G), b+float64(s.fill.B), a+1
							break
						}
					}
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)), G: uint8(math.Round(g / a)), B: uint8(math.Round(b / a)),
				A: uint8(math.Round(a / (n * n) * 255)),
			})
		}
	}
	return img
}

// svg is the plain icon as SVG, for the favicon.
func svg() []byte {
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">`)
	for _, s := range design(false) {
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" rx="%g" fill="#%02x%02x%02x"/>`,
			s.x0, s.y0, s.x1-s.x0, s.y1-s.y0, s.r, s.fill.R, s.fill.G, s.fill.B)
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// icon is one file this program writes.
type icon struct {
	name     string
	size     int
	maskable bool
}

// icons lists the PNG files, as server/handler.go's manifest names them.
var icons = []icon{
	{"icon-192.png", 192, false},
	{"icon-512.png", 512, false},
	{"icon-maskable-192.png", 192, true},
	{"icon-maskable-512.png", 512, true},
}

func main() {
	out := flag.String("out", "web", "`dir`ectory to write the icons into")
	flag.Parse()
	for _, ic := range icons {
		var b bytes.Buffer
		if err := png.Encode(&b, draw(design(ic.maskable), ic.size)); err != nil {
			fmt.Fprintln(os.Stderr, "iconsgen:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(filepath.Join(*out, ic.name), b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "iconsgen:", err)
			os.Exit(1)
		}
	}
	if err := os.WriteFile(filepath.Join(*out, "icon.svg"), svg(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "iconsgen:", err)
		os.Exit(1)
	}
}
