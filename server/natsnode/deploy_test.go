package natsnode

import (
	"testing"

	"github.com/nats-io/nats-server/v2/server"
)

// TestDeployNATSConfig: deploy/nats-node.conf, the operator's node of a
// three-machine cluster, is a configuration NATS Server accepts, with what
// the playground relies on: JetStream, an MQTT listener keeping every
// stream on three nodes, and routes to the three.
func TestDeployNATSConfig(t *testing.T) {
	opts, err := server.ProcessConfigFile("../../deploy/nats-node.conf")
	if err != nil {
		t.Fatal(err)
	}
	if !opts.JetStream {
		t.Error("JetStream is off")
	}
	if opts.MQTT.Port != 1883 || opts.MQTT.StreamReplicas != 3 {
		t.Errorf("mqtt: port %d, stream_replicas %d; want 1883 and 3", opts.MQTT.Port, opts.MQTT.StreamReplicas)
	}
	if len(opts.Routes) != 3 || opts.Cluster.Name == "" {
		t.Errorf("cluster %q with %d routes, want a name and 3", opts.Cluster.Name, len(opts.Routes))
	}
	if opts.JetStreamLimits.DefaultMaxConsumers != -1 {
		t.Errorf("default_max_consumers %d: want -1, or the 1,001st learner's QoS 1 subscription is refused", opts.JetStreamLimits.DefaultMaxConsumers)
	}
	if opts.ServerName == "" {
		t.Error("no server_name: JetStream clusters need one per node")
	}
}
