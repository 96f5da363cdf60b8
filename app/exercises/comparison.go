package exercises

import (
	"context"
	"slices"
	"time"
)

// Scenario is one message of the QoS comparison run.
type Scenario struct {
	Topic       string
	QoS         byte
	Message     string
	Type        string
	Description string // the tutorial's own words (Japanese)
}

// ComparisonScenarios are run_qos_comparison_test's three messages.
func ComparisonScenarios() []Scenario {
	return []Scenario{
		{"sensors/temperature", 0, "23.5°C", "sensor_data", "温度センサーデータ（頻繁、軽量）"},
		{"alerts/temperature_high", 1, "Temperature exceeded threshold!", "alert", "温度アラート（確実な配信が必要）"},
		{"actuators/valve/control", 2, "CLOSE_VALVE", "control_command", "バルブ制御コマンド（重複実行不可）"},
	}
}

// FailingAlert is the message the comparison run adds, third, when
// ComparisonConfig.FailingAlert is set: a second high-temperature alert.
// Sent third it carries message_id 3, which the tutorial's subscriber fails
// every attempt when the failure is simulated (SimulatedAlertFailure); the
// tutorial's own alert is message 2 and never fails.
func FailingAlert() Scenario {
	return Scenario{"alerts/temperature_high", 1, "Temperature still above threshold!", "alert", "温度アラート（2通目：message_id 3 は処理失敗のシミュレーション対象）"}
}

// ComparisonConfig times the comparison run.
type ComparisonConfig struct {
	// FailingAlert adds FailingAlert to the tutorial's three messages, as
	// the third: message_id 3 when the publisher's counter starts at 0.
	FailingAlert bool
	Gap          time.Duration // between messages; the tutorial waits 1 s
	ConfirmWait  time.Duration // longest wait for acknowledgements; 0 means 5 s, the tutorial's wait
	Clock        Clock         // nil means RealClock
}

// RunComparison publishes the comparison scenarios through p, Gap apart,
// then waits for their acknowledgements (at most ConfirmWait) and returns
// their records: the tutorial's "QoS Test Results" table. A message still
// pending at the end stays "pending" in the table and the error is
// ErrNotConfirmed.
func RunComparison(ctx context.Context, p *Publisher, cfg ComparisonConfig) ([]PublishRecord, error) {
	if cfg.ConfirmWait <= 0 {
		cfg.ConfirmWait = 5 * time.Second
	}
	if cfg.Clock == nil {
		cfg.Clock = RealClock{}
	}
	scenarios := ComparisonScenarios()
	if cfg.FailingAlert {
		scenarios = slices.Insert(scenarios, 2, FailingAlert())
	}
	var ids []int64
	for i, sc := range scenarios {
		if i > 0 && cfg.Gap > 0 {
			select {
			case <-cfg.Clock.After(cfg.Gap):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		rec, err := p.Publish(ctx, sc.Topic, sc.Message, sc.QoS, sc.Type)
		if err != nil {
			return nil, err
		}
		ids = append(ids, rec.MessageID)
	}
	waitCtx, cancel := context.WithTimeout(ctx, cfg.ConfirmWait)
	defer cancel()
	waitErr := p.Wait(waitCtx)
	recs := p.byID(ids)
	if waitErr != nil {
		if ctx.Err() != nil {
			return recs, ctx.Err()
		}
		return recs, ErrNotConfirmed
	}
	return recs, nil
}

// byID returns the records with these message ids, in that order.
func (p *Publisher) byID(ids []int64) []PublishRecord {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]PublishRecord, 0, len(ids))
	for _, id := range ids {
		if id >= 1 && int(id) <= len(p.records) {
			out = append(out, *p.records[id-1])
		}
	}
	return out
}
