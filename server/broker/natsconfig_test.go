package broker

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

// TestNATSConfig: the configuration the managed cluster writes for a node
// is one NATS Server accepts, keeps every MQTT stream on three nodes, and
// lifts NATS 2.15's default of 1,000 consumers per stream (every learner's
// QoS 1 or 2 subscription is a consumer of one stream: make bench -only 5
// saw the 1,001st SUBSCRIBE refused before).
func TestNATSConfig(t *testing.T) {
	dir := t.TempDir()
	n := &natsNode{name: "n1", clientPort: 14222, httpPort: 18222, routePort: 16222, mqttPort: 11883}
	conf := filepath.Join(dir, "n1.conf")
	routes := []string{"nats-route://127.0.0.1:16222", "nats-route://127.0.0.1:16223", "nats-route://127.0.0.1:16224"}
	if err := os.WriteFile(conf, []byte(natsConfig(n, filepath.Join(dir, "n1"), routes)), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	if !opts.JetStream || opts.MQTT.Port != 11883 || opts.MQTT.StreamReplicas != 3 {
		t.Errorf("JetStream %v, mqtt port %d, stream_replicas %d; want on, 11883, 3", opts.JetStream, opts.MQTT.Port, opts.MQTT.StreamReplicas)
	}
	if got := opts.JetStreamLimits.DefaultMaxConsumers; got != -1 {
		t.Errorf("default_max_consumers %d, want -1 (no cap on learners' subscriptions)", got)
	}
}
