package brokerapi

import "testing"

func TestChosenAndChangesPersistence(t *testing.T) {
	mosq := &Status{Mode: "mosquitto", Persistence: "off"}
	tests := []struct {
		scenario    string
		st          *Status
		choice      string
		wantChosen  string
		wantChanges bool
	}{
		{"status unknown, nothing chosen", nil, "", "", false},
		{"status unknown, a choice", nil, "on", "on", false},
		{"the broker's own setting", mosq, "", "off", false},
		{"the same as the broker's", mosq, "off", "off", false},
		{"another than the broker's", mosq, "on", "on", true},
		{"default is a setting of its own", &Status{Mode: "mosquitto", Persistence: "default"}, "on", "on", true},
		{"a NATS cluster keeps JetStream", &Status{Mode: ModeNATSCluster}, "", PersistenceJetStream, false},
		{"a cluster", &Status{Mode: ModeCluster}, "", PersistenceJetStream, false},
		{"an external broker's is unknown", &Status{Mode: "external"}, "", PersistenceUnknown, false},
		{"an embedded broker without a setting", &Status{Mode: "embedded"}, "", "", false},
		{"the in-tab broker", &Status{Mode: ModeInTab, Persistence: "on"}, "off", "off", true},
	}
	for _, tc := range tests {
		if got := ChosenPersistence(tc.st, tc.choice); got != tc.wantChosen {
			t.Errorf("%s: ChosenPersistence = %q, want %q", tc.scenario, got, tc.wantChosen)
		}
		if got := ChangesPersistence(tc.st, tc.choice); got != tc.wantChanges {
			t.Errorf("%s: ChangesPersistence = %v, want %v", tc.scenario, got, tc.wantChanges)
		}
	}
}

func TestMayBe(t *testing.T) {
	tests := []struct {
		mode                        string
		mosquitto, mochi, stockNATS bool
	}{
		{"mosquitto", true, false, false},
		{"embedded", false, true, false},
		{ModeInTab, false, true, false},
		{"external", true, true, false},
		{"", true, true, false},
		{ModeNATSCluster, false, false, false}, // nodes with the fix
		{ModeCluster, false, false, true},
	}
	for _, tc := range tests {
		if got := MayBeMosquitto(tc.mode); got != tc.mosquitto {
			t.Errorf("MayBeMosquitto(%q) = %v, want %v", tc.mode, got, tc.mosquitto)
		}
		if got := MayBeMochi(tc.mode); got != tc.mochi {
			t.Errorf("MayBeMochi(%q) = %v, want %v", tc.mode, got, tc.mochi)
		}
		if got := MayBeStockNATS(tc.mode); got != tc.stockNATS {
			t.Errorf("MayBeStockNATS(%q) = %v, want %v", tc.mode, got, tc.stockNATS)
		}
	}
}
