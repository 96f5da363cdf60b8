package exercises

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"qosplayground/app/i18n"
)

// saidAll is sentences as a test compares them.
func saidAll(ss ...i18n.Sentence) string {
	out := ""
	for _, s := range ss {
		out += s.Msg.EN + fmt.Sprint(s.Args) + ";"
	}
	return out
}

func TestPublisherSummary(t *testing.T) {
	recs := func(statuses ...Status) []PublishRecord {
		var out []PublishRecord
		for _, s := range statuses {
			out = append(out, PublishRecord{Status: s})
		}
		return out
	}
	name := i18n.Say(i18n.RunBurstName, 1, 5)
	mixed := recs(StatusConfirmed, StatusConfirmed, StatusSentQoS0, StatusPending, StatusFailed, StatusConfirmed)
	if c := CountStatuses(mixed); c[StatusConfirmed] != 3 || c[StatusSentQoS0] != 1 || c[StatusPending] != 1 || c[StatusFailed] != 1 {
		t.Errorf("CountStatuses = %v", c)
	}
	for _, tc := range []struct {
		scenario string
		running  bool
		recs     []PublishRecord
		shown    int
		want     string
	}{
		{"no run yet", false, nil, 100, i18n.NoRunYet.EN + "[];"},
		{"started, nothing recorded", true, nil, 100, i18n.RunningEllipsis.EN + fmt.Sprint([]any{name}) + ";"},
		{"running", true, mixed, 100, i18n.RunSummary.EN + "[6 3 1 1 1 1.235s];"},
		{"done, more than the table shows", false, mixed, 4, i18n.RunSummary.EN + "[6 3 1 1 1 1.235s];" + i18n.TableShowsLast.EN + "[4];"},
		{"done, exactly what the table shows", false, mixed, 6, i18n.RunSummary.EN + "[6 3 1 1 1 1.235s];"},
	} {
		got := saidAll(PublisherSummary(name, tc.running, tc.recs, 1234567*time.Microsecond, tc.shown)...)
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.scenario, got, tc.want)
		}
	}
}

func TestPersistentTexts(t *testing.T) {
	for _, tc := range []struct {
		step PersistentStep
		want string // "" for none
	}{
		{PersistentStep{Step: "connect", SessionPresent: false}, i18n.StepConnect.EN + "[false];"},
		{PersistentStep{Step: "publish-online", Content: "m1"}, i18n.StepPublishOnline.EN + "[m1];"},
		{PersistentStep{Step: "disconnect"}, i18n.StepDisconnect.EN + "[];"},
		{PersistentStep{Step: "publish-offline", Content: "m2"}, i18n.StepPublishOffline.EN + "[m2];"},
		{PersistentStep{Step: "reconnect", SessionPresent: true}, i18n.StepReconnect.EN + "[true];"},
		{PersistentStep{Step: "received", Content: "m2"}, i18n.StepReceived.EN + "[m2];"},
		{PersistentStep{Step: "done"}, i18n.StepDone.EN + "[];"},
		{PersistentStep{Step: "subscribe"}, ""}, // not logged
	} {
		text, ok := tc.step.Text()
		got := ""
		if ok {
			got = saidAll(text)
		}
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.step.Step, got, tc.want)
		}
	}
	for _, tc := range []struct {
		r           PersistentResult
		verdict     string
		redelivered string
	}{
		{PersistentResult{OfflineSent: 3, OfflineReceived: 3}, i18n.VerdictReceived.EN + "[3 3];" + i18n.VerdictKept.EN + "[];", i18n.RedeliveredNone.EN + "[];"},
		{PersistentResult{OfflineSent: 3, OfflineReceived: 0, Redelivered: 2}, i18n.VerdictReceived.EN + "[0 3];" + i18n.VerdictLost.EN + "[];", i18n.RedeliveredSome.EN + "[2];"},
		{PersistentResult{OfflineSent: 3, OfflineReceived: 2}, i18n.VerdictReceived.EN + "[2 3];" + i18n.VerdictLost.EN + "[];", i18n.RedeliveredNone.EN + "[];"},
	} {
		if got := saidAll(tc.r.Verdict()...); got != tc.verdict {
			t.Errorf("%+v: verdict %q, want %q", tc.r, got, tc.verdict)
		}
		if got := saidAll(tc.r.RedeliveredText()); got != tc.redelivered {
			t.Errorf("%+v: redelivered %q, want %q", tc.r, got, tc.redelivered)
		}
	}
}

func TestIntegrationTexts(t *testing.T) {
	res := &IntegrationResult{Published: make([]PublishRecord, 9)}
	res.Stats.TotalReceived = 8
	for _, tc := range []struct {
		scenario string
		running  bool
		res      *IntegrationResult
		err      error
		want     i18n.Msg
	}{
		{"not run", false, nil, nil, i18n.IntNotRun},
		{"running", true, nil, nil, i18n.IntRunning},
		{"running again over a result", true, res, nil, i18n.IntRunning},
		{"stopped by an error", false, res, errors.New("cut"), i18n.IntStoppedErr},
		{"done", false, res, nil, i18n.IntDone},
	} {
		if got := IntegrationStatus(tc.running, tc.res, tc.err); got.Msg != tc.want {
			t.Errorf("%s: %q, want %q", tc.scenario, got.Msg.EN, tc.want.EN)
		}
	}
	if got := saidAll(IntegrationStatus(false, res, nil)); got != i18n.IntDone.EN+"[9 8];" {
		t.Errorf("done: %q", got)
	}
	for _, step := range []string{StepStartSubscriber, StepConnectPublisher, StepComparison, StepPersistent, StepWaitSubscriber, StepDone} {
		text := IntegrationStepText(step)
		if text.Msg != i18n.IntStep || len(text.Args) != 1 || text.Args[0] == (i18n.Msg{}) {
			t.Errorf("step %q: %q %v", step, text.Msg.EN, text.Args)
		}
	}
}

func TestDurationAndStatusTexts(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, i18n.DurMillis.EN + "[0];"},
		{250 * time.Millisecond, i18n.DurMillis.EN + "[250];"},
		{999 * time.Millisecond, i18n.DurMillis.EN + "[999];"},
		{time.Second, i18n.DurSeconds.EN + "[1];"},
		{2500 * time.Millisecond, i18n.DurSeconds.EN + "[2.5];"},
	} {
		if got := saidAll(DurationText(tc.d)); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.d, got, tc.want)
		}
	}
	if got := saidAll(SubscriberStatus(false, "me", true)); got != i18n.Stopped.EN+"[];" {
		t.Errorf("stopped: %q", got)
	}
	if got := saidAll(SubscriberStatus(true, "me", true)); got != i18n.Listening.EN+"[me true];" {
		t.Errorf("listening: %q", got)
	}
}

func TestWithoutWaits(t *testing.T) {
	cfg := SubscriberConfig{WorkTimes: DefaultWorkTimes(), RetryDelay: 2 * time.Second, MaxRetries: 3, SimulateAlertFailure: true}
	fast := WithoutWaits(cfg)
	if len(fast.WorkTimes) != 0 || fast.WorkTimes == nil || fast.RetryDelay != -1 {
		t.Errorf("fast: work times %v (nil means the defaults), retry delay %v (0 means the tutorial's 2 s)", fast.WorkTimes, fast.RetryDelay)
	}
	if fast.MaxRetries != 3 || !fast.SimulateAlertFailure || len(cfg.WorkTimes) == 0 {
		t.Errorf("fast changed more than the waits: %+v, the original's work times %v", fast, cfg.WorkTimes)
	}
}

// The lab's processing errors reach a Japanese page in Japanese (issue
// 13, item 16: "alert processing error: simulated…" was English there).
func TestProcessingError(t *testing.T) {
	notJSON := fmt.Errorf("alerts processing error: %w: %v", ErrPayloadNotJSON, "invalid character")
	for _, c := range []struct {
		err  string
		want any
	}{
		{ErrSimulatedAlert.Error(), i18n.SimulatedErr},
		{notJSON.Error(), i18n.ErrPayloadNotJSON},
		{"something else", "something else"},
	} {
		if got := ProcessingError(c.err); got != c.want {
			t.Errorf("ProcessingError(%q) = %v, want %v", c.err, got, c.want)
		}
	}
}

// TestResultText: what processing did, by the record's family and QoS.
func TestResultText(t *testing.T) {
	for _, c := range []struct {
		r    Record
		want i18n.Msg
		arg  any
	}{
		{Record{Topic: "sensors/temp", Processed: true}, i18n.ResultSensor, "temp"},
		{Record{Topic: "alerts/fire", Processed: true}, i18n.ResultAlert, "fire"},
		{Record{Topic: "actuators/valve", QoS: 2, Processed: true}, i18n.ResultActuatorQoS2, "valve"},
		{Record{Topic: "actuators/valve", QoS: 1, Processed: true}, i18n.ResultActuator, "valve"},
		{Record{Topic: "sensors/temp", Failed: true, Attempts: 3}, i18n.ResultFailed, 3},
		{Record{Topic: "sensors/temp"}, i18n.ResultPending, nil},
	} {
		got := c.r.ResultText()
		if got.Msg != c.want || (c.arg != nil && (len(got.Args) == 0 || got.Args[0] != c.arg)) {
			t.Errorf("%+v: %+v, want %v with %v", c.r, got, c.want.EN, c.arg)
		}
	}
}
