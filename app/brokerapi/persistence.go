package brokerapi

// ChosenPersistence is the persistence a restart runs with: the learner's
// choice in the page's selector, else the broker's own as st says it (a
// cluster's JetStream or an external broker's unknown, when st has no
// setting and PersistenceChoices offers one thing only). It is "" while the
// broker's status is unknown (st nil) and nothing is chosen.
func ChosenPersistence(st *Status, choice string) string {
	if choice != "" {
		return choice
	}
	if st == nil {
		return ""
	}
	if c := PersistenceChoices(st.Mode); st.Persistence == "" && len(c) == 1 {
		return c[0]
	}
	return st.Persistence
}

// ChangesPersistence says whether a restart with the learner's choice
// would switch the shared broker to another persistence than the one it
// runs with: the page asks before such a restart. A broker whose setting is
// unknown (st nil, or no Persistence) is never said to change.
func ChangesPersistence(st *Status, choice string) bool {
	return st != nil && st.Persistence != "" && ChosenPersistence(st, choice) != st.Persistence
}

// MayBeMosquitto says whether the broker of mode may be Mosquitto, so that
// a page explains what Mosquitto does: the managed broker, an external one
// or one not known yet (mode ""), never the embedded, in-tab or clustered
// ones.
func MayBeMosquitto(mode string) bool {
	return mode != "embedded" && mode != ModeInTab && !IsCluster(mode)
}

// MayBeMochi says whether the broker of mode may be mochi-mqtt: the
// embedded and in-tab brokers, an external one or one not known yet, never
// the managed Mosquitto or a cluster.
func MayBeMochi(mode string) bool { return mode != "mosquitto" && !IsCluster(mode) }

// MayBeStockNATS says whether the broker of mode may be NATS Server as
// released, whose QoS 2 is not exactly once across connection cuts and a
// node's death (docs/nats-qos2-report.md): a cluster somebody else runs.
// The managed cluster's nodes run the server's own executable, built with
// the fix in third_party/nats-server.
func MayBeStockNATS(mode string) bool { return mode == ModeCluster }
