package i18n

// Found by the learner walk (server/browser_walk_test.go).

// The page's title, in the learner's language: the server pre-renders it
// (server/lang.go) and the app sets it with the language.
var (
	PageTitle = Msg{"QoS Playground — MQTT QoS and reliability, hands-on", "QoS プレイグラウンド — MQTT の QoS と信頼性を手を動かして学ぶ"}
)

// The reliable subscriber's processing errors (app/exercises), in the log.
var (
	ErrPayloadNotJSON = Msg{"the payload is not JSON", "ペイロードが JSON ではありません"}
)
