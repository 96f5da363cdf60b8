package netcond

import "testing"

func TestFieldsChooseSetRead(t *testing.T) {
	f := FieldsOf(Preset{})
	if f != (Fields{Latency: "0", Jitter: "0", Up: "0", Down: "0", CutMin: "0", CutMax: "0"}) {
		t.Fatalf("a perfect link's fields: %+v", f)
	}
	f.Choose("satellite")
	sat, _ := PresetByID("satellite")
	if p, err := f.Read(); err != nil || p != sat {
		t.Errorf("the satellite chosen reads as %+v, %v; want the preset", p, err)
	}
	f.Choose(Custom) // keeps the numbers
	if f.Latency != "300" || f.Preset != Custom {
		t.Errorf("custom chosen: %+v, want the satellite's numbers kept", f)
	}
	f.Choose("factory-floor")
	f.Set(FieldCutMax, "200")
	if p, err := f.Read(); err != nil || p.ID != Custom || p.CutMax != 200 || p.LatencyMS != 50 {
		t.Errorf("a field typed after a preset: %+v, %v; want the preset's numbers with it, named custom", p, err)
	}
	f.Set("not-a-field", "1") // ignored
	if f.CutMax != "200" {
		t.Errorf("an unknown field changed the fields: %+v", f)
	}
	f.Choose("")
	if f != FieldsOf(Preset{}) {
		t.Errorf("a perfect link chosen again: %+v", f)
	}
	f.Choose("no-such-link") // an unknown id keeps the numbers
	if f.Latency != "0" || f.Preset != "no-such-link" {
		t.Errorf("an unknown preset: %+v", f)
	}
}

func TestFormErrorKindAndField(t *testing.T) {
	f := Fields{Up: "10"}
	_, err := f.Read()
	if err.On(FieldUp) == nil || err.On(FieldDown) != nil || err.Kind() != ErrBandwidth {
		t.Errorf("up at 10 kbit/s: %+v, want a bandwidth error on %s", err, FieldUp)
	}
	_, err = Fields{CutMin: "50", CutMax: "20"}.Read()
	if err.On(FieldCutMax) == nil || err.Kind() != ErrCutBelow || err.Min != 50 {
		t.Errorf("cut range 50..20: %+v, want the largest below the smallest (50)", err)
	}
	_, err = Fields{Latency: "2500"}.Read()
	if err.On(FieldLatency) == nil || err.Kind() != ErrRange || err.Max != MaxLatencyMS {
		t.Errorf("latency 2500: %+v, want a range error", err)
	}
	var none *FormError
	if none.On(FieldLatency) != nil {
		t.Error("no error is an error on a field")
	}
}

func TestLinkIDAndPerfect(t *testing.T) {
	sat, _ := PresetByID("satellite")
	changed := sat
	changed.LatencyMS++
	for _, c := range []struct {
		applied *Preset
		want    string
	}{{nil, ""}, {&sat, "satellite"}, {&changed, ""}, {&Preset{ID: Custom}, ""}} {
		if got := LinkID(c.applied); got != c.want {
			t.Errorf("LinkID(%+v) = %q, want %q", c.applied, got, c.want)
		}
	}
	if !(Preset{}).Perfect() || (Preset{CutMin: 1, CutMax: 2}).Perfect() || sat.Perfect() {
		t.Error("Perfect: only no delay, no limit and no cut is perfect")
	}
	if Shaped(nil) || Shaped(&Preset{}) || !Shaped(&Preset{CutMax: 5}) || !Shaped(&sat) {
		t.Error("Shaped: the in-tab link is shaped for any conditions or cut, not for none")
	}
	if !AppliesAtOnce(false, false) || AppliesAtOnce(true, false) || !AppliesAtOnce(true, true) {
		t.Error("AppliesAtOnce: through the gateway always; in the tab only on a shaped link")
	}
}

func TestStatus(t *testing.T) {
	sat, _ := PresetByID("satellite")
	for _, c := range []struct {
		applied          *Preset
		inTab, connected bool
		want             CardStatus
	}{
		{nil, false, false, StatusConnectFirst},
		{nil, false, true, StatusNone},
		{&sat, false, true, StatusApplied},
		{&sat, false, false, StatusApplied},
		{&Preset{}, false, true, StatusPerfect},
		{nil, true, false, StatusInTab},
		{&Preset{}, true, true, StatusInTab},
		{&Preset{CutMin: 1, CutMax: 2}, true, true, StatusAppliedInTab},
	} {
		if got := Status(c.applied, c.inTab, c.connected); got != c.want {
			t.Errorf("Status(%+v, in tab %v, connected %v) = %v, want %v", c.applied, c.inTab, c.connected, got, c.want)
		}
	}
}
