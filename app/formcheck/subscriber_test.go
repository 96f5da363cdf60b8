package formcheck

import (
	"errors"
	"testing"
	"time"

	"qosplayground/app/exercises"
	"qosplayground/app/topic"
)

func validSubscriber() Subscriber {
	work := map[string]string{}
	for _, f := range Families {
		work[f] = "100"
	}
	return Subscriber{
		Subscriptions: []exercises.Subscription{{Filter: "alerts/#", QoS: 1}},
		WorkMS:        work, MaxRetries: "3", RetryMS: "2000", TTLMin: "10", PruneMin: "5",
	}
}

func TestSubscriberConfig(t *testing.T) {
	cfg, err := validSubscriber().Config()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MaxRetries != 3 || cfg.RetryDelay != 2*time.Second || cfg.RecordTTL != 10*time.Minute || cfg.PruneEvery != 5*time.Minute ||
		len(cfg.WorkTimes) != len(Families) || cfg.WorkTimes[exercises.FamilyAlerts] != 100*time.Millisecond ||
		len(cfg.Subscriptions) != 1 || cfg.Subscriptions[0].Filter != "alerts/#" {
		t.Errorf("config %+v", cfg)
	}
	// No retry delay: the lab's zero would mean the tutorial's 2 s.
	s := validSubscriber()
	s.RetryMS, s.FailAlert = "0", true
	if cfg, err := s.Config(); err != nil || cfg.RetryDelay != -1 || !cfg.SimulateAlertFailure {
		t.Errorf("no delay: %v, %v, fail %v", cfg.RetryDelay, err, cfg.SimulateAlertFailure)
	}

	var millisErr *MillisError
	var rangeErr *RangeError
	for _, tc := range []struct {
		name   string
		break_ func(*Subscriber)
		field  Field
		millis bool // a MillisError, else a RangeError
		min    int
		max    int
	}{
		{"work time negative", func(s *Subscriber) { s.WorkMS[exercises.FamilyActuators] = "-1" }, WorkTime(exercises.FamilyActuators), true, 0, 0},
		{"work time too long", func(s *Subscriber) { s.WorkMS[exercises.FamilySensors] = "600001" }, WorkTime(exercises.FamilySensors), true, 0, 0},
		{"work time missing", func(s *Subscriber) { delete(s.WorkMS, exercises.FamilyGeneric) }, WorkTime(exercises.FamilyGeneric), true, 0, 0},
		{"no attempt", func(s *Subscriber) { s.MaxRetries = "0" }, SubAttempts, false, 1, 10},
		{"eleven attempts", func(s *Subscriber) { s.MaxRetries = "11" }, SubAttempts, false, 1, 10},
		{"retry delay not a number", func(s *Subscriber) { s.RetryMS = "2s" }, SubRetryDelay, true, 0, 0},
		{"no lifetime", func(s *Subscriber) { s.TTLMin = "0" }, SubTTL, false, 1, 1440},
		{"pruning past a day", func(s *Subscriber) { s.PruneMin = "1441" }, SubPrune, false, 1, 1440},
		// The page's order: the first wrong field is said.
		{"work time and attempts", func(s *Subscriber) { s.MaxRetries, s.WorkMS[exercises.FamilyImportant] = "0", "x" }, WorkTime(exercises.FamilyImportant), true, 0, 0},
		{"attempts and lifetime", func(s *Subscriber) { s.MaxRetries, s.TTLMin = "0", "0" }, SubAttempts, false, 1, 10},
	} {
		s := validSubscriber()
		tc.break_(&s)
		_, err := s.Config()
		switch {
		case tc.millis && (!errors.As(err, &millisErr) || millisErr.Field != tc.field):
			t.Errorf("%s: %v, want a time error on %s", tc.name, err, tc.field)
		case !tc.millis && (!errors.As(err, &rangeErr) || rangeErr.Field != tc.field || rangeErr.Min != tc.min || rangeErr.Max != tc.max):
			t.Errorf("%s: %v, want %s from %d to %d", tc.name, err, tc.field, tc.min, tc.max)
		}
	}
	if f, ok := WorkTime(exercises.FamilyAlerts).Family(); !ok || f != exercises.FamilyAlerts {
		t.Errorf("WorkTime(alerts).Family() = %q, %v", f, ok)
	}
	if _, ok := SubRetryDelay.Family(); ok {
		t.Error("the retry delay is a family's work time")
	}
}

func TestTestMessage(t *testing.T) {
	for _, tc := range []struct {
		topic, id string
		want      int64
		err       error
	}{
		{"alerts/temperature_high", "3", 3, nil},
		{"alerts/temperature_high", "-7", -7, nil},
		{"alerts/temperature_high", "", 0, ErrMessageID},
		{"alerts/temperature_high", "1.5", 0, ErrMessageID},
		{"alerts/#", "3", 0, topic.ErrWildcardInName},
		{"", "3", 0, topic.ErrEmpty},
		{"", "x", 0, ErrMessageID}, // the id first, as the page always said
	} {
		id, err := TestMessage(tc.topic, tc.id)
		if id != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("TestMessage(%q, %q) = %d, %v; want %d, %v", tc.topic, tc.id, id, err, tc.want, tc.err)
		}
	}
}
