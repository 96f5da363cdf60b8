package main

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// webDir is the repository's web/ directory, where the icons are committed.
const webDir = "../../../../web"

func readPNG(t *testing.T, name string) *image.NRGBA {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(webDir, name))
	if err != nil {
		t.Fatalf("%v: run `go run ./server/internal/cmd/iconsgen -out web`", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	out := image.NewNRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

// The committed icons are what the program draws (compared pixel by pixel,
// as PNG encoders may differ between Go versions).
func TestCommittedIconsAreCurrent(t *testing.T) {
	for _, ic := range icons {
		got := readPNG(t, ic.name)
		want := draw(design(ic.maskable), ic.size)
		if got.Bounds() != want.Bounds() {
			t.Errorf("%s is %v, want %dx%d", ic.name, got.Bounds().Size(), ic.size, ic.size)
			continue
		}
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%s differs from what iconsgen draws: run `go run ./server/internal/cmd/iconsgen -out web`", ic.name)
		}
	}
	got, err := os.ReadFile(filepath.Join(webDir, "icon.svg"))
	if err != nil || !bytes.Equal(got, svg()) {
		t.Errorf("web/icon.svg differs from what iconsgen draws (err %v)", err)
	}
}

// Everything but the background lies inside the safe zone of a maskable
// icon (a centred circle of radius 40% of the width), and the background
// fills the whole square, opaque: whatever shape the platform crops to,
// the bars are whole and no transparent corner shows.
func TestMaskableIconsKeepTheSafeZone(t *testing.T) {
	for _, ic := range icons {
		if !ic.maskable {
			continue
		}
		img := draw(design(true), ic.size)
		c := float64(ic.size) / 2
		radius := 0.4 * float64(ic.size)
		bars := 0
		for y := 0; y < ic.size; y++ {
			for x := 0; x < ic.size; x++ {
				p := img.NRGBAAt(x, y)
				if p.A != 0xff {
					t.Fatalf("%s: pixel (%d,%d) is not opaque: %v", ic.name, x, y, p)
				}
				if p == accent {
					continue
				}
				bars++
				if d := math.Hypot(float64(x)+0.5-c, float64(y)+0.5-c); d > radius {
					t.Fatalf("%s: bar pixel (%d,%d) is %.1f px from the centre, outside the safe zone (%.1f)", ic.name, x, y, d, radius)
				}
			}
		}
		if bars < ic.size*ic.size/20 {
			t.Errorf("%s: only %d pixels of bars", ic.name, bars)
		}
	}
}

// The plain icons are a rounded square: transparent corners, the accent
// colour just inside them, and the highlight bar present.
func TestPlainIcons(t *testing.T) {
	for _, ic := range icons {
		if ic.maskable {
			continue
		}
		img := draw(design(false), ic.size)
		if a := img.NRGBAAt(0, 0).A; a != 0 {
			t.Errorf("%s: corner alpha %d, want transparent", ic.name, a)
		}
		if p := img.NRGBAAt(ic.size/2, ic.size/10); p != accent {
			t.Errorf("%s: top middle is %v, want the accent %v", ic.name, p, accent)
		}
		if p := img.NRGBAAt(ic.size*71/100, ic.size*50/100); p != highlight {
			t.Errorf("%s: the QoS 2 bar is %v, want %v", ic.name, p, highlight)
		}
	}
}
