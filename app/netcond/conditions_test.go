package netcond

import (
	"errors"
	"testing"
)

func TestValidate(t *testing.T) {
	good := []Conditions{{}, {LatencyMS: 2000, JitterMS: 500, UpKbps: 56, DownKbps: MaxKbps}}
	for _, c := range good {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	bad := []Conditions{{LatencyMS: -1}, {LatencyMS: 2001}, {JitterMS: 501}, {UpKbps: 55}, {DownKbps: MaxKbps + 1}, {DownKbps: -5}}
	for _, c := range bad {
		if err := c.Validate(); !errors.Is(err, ErrBad) {
			t.Errorf("%+v: err %v, want ErrBad", c, err)
		}
	}
}

func TestPresetsAreValid(t *testing.T) {
	if len(Presets) < 4 {
		t.Fatalf("%d presets, want campus Wi-Fi, weak 3G, satellite, factory floor", len(Presets))
	}
	for _, p := range Presets {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		if p.CutMax < p.CutMin {
			t.Errorf("%s: cut range %d..%d", p.ID, p.CutMin, p.CutMax)
		}
		if q, ok := PresetByID(p.ID); !ok || q != p {
			t.Errorf("PresetByID(%q) = %+v, %v", p.ID, q, ok)
		}
	}
}
