package netcond

// Preset is a named set of conditions a learner picks from a list, with
// its numbers shown beside its name.
type Preset struct {
	// ID names the preset in links and tests, e.g. "satellite".
	ID string
	Conditions
	// CutMin and CutMax, when CutMax > 0, make the link drop the connection
	// after a random number of packets in [CutMin, CutMax] (a fault
	// command "random", armed again on each new connection).
	CutMin, CutMax int
}

// Presets are the links a learner can pick, from the best to the worst.
// The numbers are typical of each kind of link, not a measurement of any
// one of them.
var Presets = []Preset{
	// A good campus Wi-Fi: a few milliseconds, plenty of bandwidth.
	{ID: "campus-wifi", Conditions: Conditions{LatencyMS: 15, JitterMS: 5, UpKbps: 20_000, DownKbps: 20_000}},
	// A phone on a weak 3G signal: slow, thin and irregular.
	{ID: "weak-3g", Conditions: Conditions{LatencyMS: 300, JitterMS: 150, UpKbps: 128, DownKbps: 384}},
	// A geostationary satellite: the signal travels 36,000 km up and
	// down, so each way takes about 300 ms whatever the bandwidth.
	{ID: "satellite", Conditions: Conditions{LatencyMS: 300, JitterMS: 20, UpKbps: 512, DownKbps: 2_000}},
	// A factory floor: machines disturb the radio, the connection drops
	// every few dozen packets.
	{ID: "factory-floor", Conditions: Conditions{LatencyMS: 50, JitterMS: 40, UpKbps: 1_000, DownKbps: 1_000}, CutMin: 30, CutMax: 120},
}

// PresetByID returns the preset with that id.
func PresetByID(id string) (Preset, bool) {
	for _, p := range Presets {
		if p.ID == id {
			return p, true
		}
	}
	return Preset{}, false
}
