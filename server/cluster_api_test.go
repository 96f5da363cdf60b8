package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"qosplayground/app/brokerapi"
	"qosplayground/server/broker"
	"qosplayground/server/gateway"
)

// TestBrokerAPICluster: on a cluster (here two embedded brokers given as a
// list) the page is told the restart is refused because the broker is a
// shared cluster, and what NATS does differently; a POST is refused with
// the same reason.
func TestBrokerAPICluster(t *testing.T) {
	a := startAPIBroker(t, "embedded")
	b := startAPIBroker(t, "embedded")
	cl := startAPIBroker(t, "tcp://"+a.Addr()+",tcp://"+b.Addr())
	base := serveAPI(t, cl, restartPolicy{flag: brokerRestartOn})
	st := getStatus(t, base, nil)
	if st.Mode != brokerapi.ModeCluster || st.RestartAllowed || st.WhyNot != brokerapi.WhyCluster || !strings.Contains(st.ReasonIfNot, "cluster") {
		t.Errorf("GET: got %+v, want mode cluster, restart not allowed because of the cluster", st)
	}
	var white bool
	for _, c := range st.Caveats {
		white = white || strings.Contains(c, "white space")
	}
	if !white {
		t.Errorf("caveats %q do not say that NATS refuses topics with white space", st.Caveats)
	}
	code, _, bad := postRestart(t, base, `{"kill": false, "persistence": "on"}`, nil)
	if code != http.StatusConflict || bad.Code != brokerapi.CodeUnsupported || bad.WhyNot != brokerapi.WhyCluster {
		t.Errorf("POST: got %d %+v, want 409 unsupported because of the cluster", code, bad)
	}
}

// TestHealthzCluster: the server is healthy while one node of the cluster
// answers, and says how many do.
func TestHealthzCluster(t *testing.T) {
	a := startAPIBroker(t, "embedded")
	b := startAPIBroker(t, "embedded")
	cl := startAPIBroker(t, "tcp://"+a.Addr()+",tcp://"+b.Addr())
	gw := gateway.New(gateway.Config{BrokerAddrs: broker.Addrs(cl)})
	get := func() (int, map[string]any) {
		rec := httptest.NewRecorder()
		healthz(gw, cl).ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		return rec.Code, body
	}
	if code, body := get(); code != 200 || body["broker_nodes_up"] != 2.0 || body["broker_nodes"] != 2.0 {
		t.Fatalf("both up: %d %v", code, body)
	}
	a.Close()
	if code, body := get(); code != 200 || body["broker_nodes_up"] != 1.0 {
		t.Fatalf("one down: %d %v, want 200 with one node up", code, body)
	}
	b.Close()
	if code, body := get(); code != 503 || body["broker_nodes_up"] != 0.0 {
		t.Fatalf("both down: %d %v, want 503", code, body)
	}
}
