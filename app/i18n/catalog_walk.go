package i18n

// Found by the learner walk (server/browser_walk_test.go).

// The page before the app has started: its title and go-app's loading
// screen, in the learner's language (server/appfilter.go picks it the way
// the app does). {progress} is the percentage downloaded.
var (
	PageTitle    = Msg{"QoS Playground — MQTT QoS and reliability, hands-on", "QoS プレイグラウンド — MQTT の QoS と信頼性を手を動かして学ぶ"}
	LoadingLabel = Msg{"Loading QoS Playground… {progress}%", "QoS プレイグラウンドを読み込んでいます… {progress}%"}
)

// The reliable subscriber's processing errors (app/lab), in the log.
var (
	ErrPayloadNotJSON = Msg{"the payload is not JSON", "ペイロードが JSON ではありません"}
)
