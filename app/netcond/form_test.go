package netcond

import "testing"

func TestFromForm(t *testing.T) {
	c, err := FromForm(" 300 ", "20", "512", "")
	if err != nil || c != (Conditions{LatencyMS: 300, JitterMS: 20, UpKbps: 512}) {
		t.Fatalf("got %+v, %v", c, err)
	}
	if c, err := FromForm(FormValues(Presets[1].Conditions)); err != nil || c != Presets[1].Conditions {
		t.Errorf("a preset's own values: %+v, %v", c, err)
	}
	for _, bad := range []struct{ lat, jit, up, down, field string }{
		{"2001", "", "", "", FieldLatency},
		{"-1", "", "", "", FieldLatency},
		{"1.5", "", "", "", FieldLatency},
		{"", "501", "", "", FieldJitter},
		{"", "", "55", "", FieldUp},
		{"", "", "", "abc", FieldDown},
		{"", "", "", "1000001", FieldDown},
	} {
		_, err := FromForm(bad.lat, bad.jit, bad.up, bad.down)
		if err == nil || err.Field != bad.field {
			t.Errorf("FromForm(%q, %q, %q, %q): error %v, want one on %s", bad.lat, bad.jit, bad.up, bad.down, err, bad.field)
		}
	}
}

func TestPresetFromForm(t *testing.T) {
	factory, _ := PresetByID("factory-floor")
	p, err := PresetFromForm(PresetFormValues(factory))
	if err != nil || p.Conditions != factory.Conditions || p.CutMin != 30 || p.CutMax != 120 {
		t.Fatalf("the factory floor's own values: %+v, %v", p, err)
	}
	if p, err := PresetFromForm("10", "", "", "", "", ""); err != nil || p.CutMax != 0 || p.LatencyMS != 10 {
		t.Errorf("no cut: %+v, %v", p, err)
	}
	for _, bad := range []struct{ min, max, field string }{
		{"50", "20", FieldCutMax},
		{"-1", "5", FieldCutMin},
		{"", "x", FieldCutMax},
		{"", "1000001", FieldCutMax},
	} {
		if _, err := PresetFromForm("", "", "", "", bad.min, bad.max); err == nil || err.Field != bad.field {
			t.Errorf("cut %q..%q: error %v, want one on %s", bad.min, bad.max, err, bad.field)
		}
	}
	if _, err := PresetFromForm("3000", "", "", "", "", ""); err == nil || err.Field != FieldLatency {
		t.Errorf("latency out of range: %v", err)
	}
}
