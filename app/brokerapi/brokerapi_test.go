package brokerapi

import (
	"slices"
	"testing"
)

// TestPersistenceChoices: a page offers the settings a restart can use, and
// for a broker it cannot restart, the one thing true of it, never the
// managed Mosquitto's default (the fault lab showed "saved about every
// second" on a NATS cluster).
func TestPersistenceChoices(t *testing.T) {
	for _, tt := range []struct {
		mode string
		want []string
	}{
		{"mosquitto", []string{"default", "on", "off"}},
		{"embedded", []string{"default", "on", "off"}},
		{ModeInTab, []string{"on", "off"}},
		{"external", []string{PersistenceUnknown}},
		{ModeNATSCluster, []string{PersistenceJetStream}},
		{ModeCluster, []string{PersistenceJetStream}},
	} {
		if got := PersistenceChoices(tt.mode); !slices.Equal(got, tt.want) {
			t.Errorf("PersistenceChoices(%q) = %q, want %q", tt.mode, got, tt.want)
		}
	}
}
