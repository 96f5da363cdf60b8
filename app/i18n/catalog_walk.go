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

// Why the fault lab may not restart the broker (brokerapi.Status's
// ReasonCode): the server's reasons, in the learner's language.
var (
	RestartReasonOperatorOff = Msg{"the server's operator turned broker restarts off (-broker-restart=off).", "サーバーの管理者がブローカーの再起動を無効にしています（-broker-restart=off）。"}
	RestartReasonShared      = Msg{"the server listens on an address other machines can reach, so a page may not restart the broker everybody shares; its operator can allow it with -broker-restart=on.", "サーバーが他のマシンからも届くアドレスで待ち受けているため、みんなで使うブローカーをページから再起動することはできません。管理者は -broker-restart=on で許可できます。"}
	RestartReasonNotLocal    = Msg{"this page reached the server through a proxy or a host name that is not this machine's own, so it may not restart the broker; the server's operator can allow it with -broker-restart=on.", "このページはプロキシか、このマシン以外のホスト名を通ってサーバーに届いているため、ブローカーを再起動できません。管理者は -broker-restart=on で許可できます。"}
	RestartReasonExternal    = Msg{"the broker is external: somebody else runs it, so this server can neither restart it nor change its persistence.", "ブローカーは外部のもの（別の誰かが運用）なので、このサーバーからは再起動も永続化の変更もできません。"}
)
