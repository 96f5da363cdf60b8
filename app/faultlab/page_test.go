package faultlab

import "testing"

// TestFormRestore: a page drawn after runs shows the settings they ran
// with: the random-cut run's and the crash lesson's once run, the
// restart's only while it runs.
func TestFormRestore(t *testing.T) {
	blips := BlipRun{Messages: "50", CutMin: "5", CutMax: "9", Net: "3g"}
	restart := RestartRun{Persistence: "on", Kill: true}
	will := WillRun{KeepAlive: "7"}
	ran := NewForm()
	ran.Messages, ran.CutMin, ran.CutMax, ran.Net, ran.KeepAlive = "50", "5", "9", "3g", "7"
	restarting := NewForm()
	restarting.Persistence, restarting.Kill = "on", true
	for _, tc := range []struct {
		scenario string
		b        BlipState
		r        RestartState
		w        WillState
		want     Form
	}{
		{"no run yet", BlipState{}, RestartState{}, WillState{}, NewForm()},
		{"runs going", BlipState{Runs: 1, Running: true, Progress: blips}, RestartState{}, WillState{Runs: 1, Running: true, Progress: will}, ran},
		{"runs done", BlipState{Runs: 2, Finished: true, Progress: blips}, RestartState{Runs: 1, Finished: true, Progress: restart}, WillState{Runs: 3, Finished: true, Progress: will}, ran},
		{"a restart going", BlipState{}, RestartState{Runs: 1, Running: true, Progress: restart}, WillState{}, restarting},
	} {
		f := NewForm()
		f.Restore(tc.b, tc.r, tc.w)
		if f != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.scenario, f, tc.want)
		}
	}
}

// TestRunningNow: what the page says is going on, only while it is.
func TestRunningNow(t *testing.T) {
	for _, running := range []bool{true, false} {
		b := BlipState{Runs: 1, Running: running, Finished: !running, Progress: BlipRun{QoS: 2}}
		r := RestartState{Runs: 1, Running: running, Finished: !running, Progress: RestartRun{Step: RestartStepQueue}}
		w := WillState{Runs: 1, Running: running, Finished: !running, Progress: WillRun{Leave: LeaveFreeze}}
		wantQoS, wantStep, wantLeave := 2, RestartStepQueue, LeaveFreeze
		if !running {
			wantQoS, wantStep, wantLeave = -1, "", ""
		}
		if got := RunningQoS(b); got != wantQoS {
			t.Errorf("running %v: RunningQoS = %d, want %d", running, got, wantQoS)
		}
		if got := RestartStep(r); got != wantStep {
			t.Errorf("running %v: RestartStep = %q, want %q", running, got, wantStep)
		}
		if got := Leaving(w); got != wantLeave {
			t.Errorf("running %v: Leaving = %q, want %q", running, got, wantLeave)
		}
	}
	if got := RunningQoS(BlipState{}); got != -1 {
		t.Errorf("no run: RunningQoS = %d, want -1", got)
	}
}
