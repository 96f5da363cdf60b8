package main

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"qosplayground/app/brokerapi"
)

// TestBrokerAPIWhyNot: a refused restart names its reason with a code, in
// GET's why_not and in the POST's error, and the page's client reads both,
// so the fault lab says it in the learner's language instead of showing
// the server's English sentence (issue 13, item 16).
func TestBrokerAPIWhyNot(t *testing.T) {
	tests := []struct {
		scenario string
		policy   restartPolicy
		why      string
	}{
		{"off", restartPolicy{flag: brokerRestartOff, loopback: true, addr: "127.0.0.1:8080"}, brokerapi.WhyOperatorOff},
		{"auto on all interfaces", restartPolicy{flag: brokerRestartAuto, loopback: false, addr: "[::]:8080"}, brokerapi.WhyPublic},
		{"auto on loopback", loopbackPolicy, ""},
	}
	b := startAPIBroker(t, "embedded")
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			base := serveAPI(t, b, tt.policy)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			st, err := brokerapi.GetStatus(ctx, base)
			if err != nil {
				t.Fatal(err)
			}
			if st.WhyNot != tt.why {
				t.Errorf("GET: why_not %q, want %q", st.WhyNot, tt.why)
			}
			if tt.why == "" {
				return
			}
			_, err = brokerapi.Restart(ctx, base, brokerapi.RestartRequest{})
			var re *brokerapi.RefusedError
			if !errors.As(err, &re) || !errors.Is(err, brokerapi.ErrRefused) {
				t.Fatalf("POST: %v, want a RefusedError", err)
			}
			if re.HTTPStatus != http.StatusForbidden || re.Code != brokerapi.CodeForbidden || re.WhyNot != tt.why {
				t.Errorf("POST: %+v, want 403 %q %q", re, brokerapi.CodeForbidden, tt.why)
			}
		})
	}
	ext := startAPIBroker(t, "tcp://"+b.Addr())
	base := serveAPI(t, ext, restartPolicy{flag: brokerRestartOn})
	st, err := brokerapi.GetStatus(context.Background(), base)
	if err != nil || st.WhyNot != brokerapi.WhyExternal {
		t.Errorf("external: %+v, %v; want why_not %q", st, err, brokerapi.WhyExternal)
	}
	_, err = brokerapi.Restart(context.Background(), base, brokerapi.RestartRequest{})
	var re *brokerapi.RefusedError
	if !errors.As(err, &re) || re.Code != brokerapi.CodeUnsupported {
		t.Errorf("external POST: %v, want code %q", err, brokerapi.CodeUnsupported)
	}
}
