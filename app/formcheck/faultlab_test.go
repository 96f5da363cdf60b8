package formcheck

import (
	"errors"
	"testing"
)

func TestBlips(t *testing.T) {
	var rangeErr *RangeError
	var order *CutOrderError
	isRange := func(min, max int) func(error) bool {
		return func(err error) bool { return errors.As(err, &rangeErr) && rangeErr.Min == min && rangeErr.Max == max }
	}
	isOrder := func(min int) func(error) bool {
		return func(err error) bool { return errors.As(err, &order) && order.Min == min }
	}
	for _, tc := range []struct {
		form  Blips
		run   BlipsRun
		field Field // "" for none
		is    func(error) bool
	}{
		{Blips{"1000", "40", "100"}, BlipsRun{1000, 40, 100}, "", nil},
		{Blips{"1", "1", "1"}, BlipsRun{1, 1, 1}, "", nil},
		{Blips{"100000", "10000", "10000"}, BlipsRun{100000, 10000, 10000}, "", nil},
		{Blips{"0", "40", "100"}, BlipsRun{}, BlipsMessages, isRange(1, MaxBlipMessages)},
		{Blips{"100001", "40", "100"}, BlipsRun{}, BlipsMessages, isRange(1, MaxBlipMessages)},
		{Blips{"", "40", "100"}, BlipsRun{}, BlipsMessages, isRange(1, MaxBlipMessages)},
		{Blips{"1000", "0", "100"}, BlipsRun{}, BlipsCutMin, isRange(1, MaxCut)},
		{Blips{"1000", "40", "10001"}, BlipsRun{}, BlipsCutMax, isRange(1, MaxCut)},
		{Blips{"1000", "100", "40"}, BlipsRun{}, BlipsCutMax, isOrder(100)},
		{Blips{"1000", "40", "40"}, BlipsRun{1000, 40, 40}, "", nil},
	} {
		run, es := tc.form.Check()
		if tc.field == "" {
			if len(es) != 0 || run != tc.run {
				t.Errorf("%+v: run %+v, errors %v; want %+v", tc.form, run, es, tc.run)
			}
			continue
		}
		if len(es) != 1 || es[0].Field != tc.field || !tc.is(es[0].Err) {
			t.Errorf("%+v: errors %v, want one on %s", tc.form, es, tc.field)
		}
	}
	// A wrong least is said once, under itself: not also as an order error.
	if _, es := (Blips{"1000", "x", "5"}).Check(); len(es) != 1 || es.Of(BlipsCutMax) != nil {
		t.Errorf("a wrong least and a most: %v", es)
	}
}

func TestCrashKeepAliveSeconds(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
		ok   bool
	}{{"2", 2, true}, {"1", 1, true}, {"60", 60, true}, {"0", 0, false}, {"61", 0, false}, {"", 0, false}, {"1.5", 0, false}} {
		n, err := CrashKeepAliveSeconds(tc.s)
		if n != tc.want || (err == nil) != tc.ok {
			t.Errorf("CrashKeepAliveSeconds(%q) = %d, %v", tc.s, n, err)
		}
		var rangeErr *RangeError
		if err != nil && (!errors.As(err, &rangeErr) || rangeErr.Field != CrashKeepAlive || rangeErr.Max != MaxCrashKeepAlive) {
			t.Errorf("CrashKeepAliveSeconds(%q): %v", tc.s, err)
		}
	}
}
