package faultlab

import (
	"testing"

	"qosplayground/app/brokerapi"
)

func TestQoS2Headline(t *testing.T) {
	var once, lostOnly, sessionLost, kept BlipResult
	once.Ledger.WireCopies = 40
	lostOnly.Ledger.Lost = 2
	sessionLost.Ledger.DuplicatesSeen, sessionLost.PublisherQoS2.SessionLost = 1, 1
	kept.Ledger.DuplicatesSeen = 1
	tests := []struct {
		scenario string
		r        BlipResult
		mode     string
		want     QoS2Headline
	}{
		{"once on Mosquitto", once, "mosquitto", QoS2HeadOnce},
		{"once on a NATS cluster", once, brokerapi.ModeNATSCluster, QoS2HeadOnce},
		{"losses on Mosquitto", lostOnly, "mosquitto", QoS2HeadOnce},
		{"losses on a NATS cluster", lostOnly, brokerapi.ModeNATSCluster, QoS2HeadNATS},
		{"session lost, any broker", sessionLost, brokerapi.ModeCluster, QoS2HeadCopies},
		{"copies with the session kept (mochi)", kept, "embedded", QoS2HeadKept},
		{"copies with the session kept, unknown broker", kept, "", QoS2HeadKept},
		{"copies with the session kept on a cluster", kept, brokerapi.ModeCluster, QoS2HeadNATS},
	}
	for _, tc := range tests {
		if got := tc.r.QoS2Headline(tc.mode); got != tc.want {
			t.Errorf("%s: QoS2Headline = %q, want %q", tc.scenario, got, tc.want)
		}
	}
}
