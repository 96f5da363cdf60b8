package i18n

// Found by the learner walk (server/browser_walk_test.go).

// The page before the app has started: its title and go-app's loading
// screen, in the learner's language (server/appfilter.go picks it the way
// the app does). {progress} is the percentage downloaded.
var (
	PageTitle    = Msg{"QoS Playground — MQTT QoS and reliability, hands-on", "QoS プレイグラウンド — MQTT の QoS と信頼性を手を動かして学ぶ"}
	LoadingLabel = Msg{"Loading QoS Playground… {progress}%", "QoS プレイグラウンドを読み込んでいます… {progress}%"}
)

// The fault lab's cut, as the lesson shows it (app/ui/walk_texts.go): the
// packet is the protocol's word, the rest the learner's language.
var (
	CutBefore      = Msg{"cut before %s (%s)", "%s の前で切断（%s）"}
	CutAfter       = Msg{"cut after %s (%s)", "%s の直後に切断（%s）"}
	CutNth         = Msg{"%s number %d", "%[2]d 番目の %[1]s"}
	CutUp          = Msg{"tab→broker", "タブ→ブローカー"}
	CutDown        = Msg{"broker→tab", "ブローカー→タブ"}
	CutNow         = Msg{"cut now", "今すぐ切断"}
	CutFreeze      = Msg{"freeze: the network goes silent", "通信が途絶える（接続は閉じない）"}
	CutRandomAfter = Msg{"random cut after %d packets (drawn from %d to %d)", "%d パケット後にランダムに切断（%d〜%d から抽選）"}
)

// The reliable subscriber's processing errors (app/lab), in the log.
var (
	ErrSimulatedAlert = Msg{"simulated alert processing failure", "アラート処理の失敗（シミュレーション）"}
	ErrPayloadNotJSON = Msg{"the payload is not JSON", "ペイロードが JSON ではありません"}
)
