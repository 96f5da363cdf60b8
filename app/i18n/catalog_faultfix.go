package i18n

// The fault lab: fault commands in words (the lesson's "cut" line).
var (
	FaultCutBefore = Msg{"cut before %s (%s)", "%s が届く前に切断（%s）"}
	FaultCutAfter  = Msg{"cut right after %s (%s)", "%s を通した直後に切断（%s）"}
	FaultCutNth    = Msg{"%s number %d", "%[2]d 番目の %[1]s"}
	FaultCutUp     = Msg{"tab→broker", "タブ→ブローカー"}
	FaultCutDown   = Msg{"broker→tab", "ブローカー→タブ"}
	FaultCutNow    = Msg{"cut now", "すぐに切断"}
	FaultCutClear  = Msg{"clear the armed fault", "仕掛けた障害を解除"}
	FaultCutFreeze = Msg{"freeze: the network goes silent", "フリーズ：ネットワークが静かに途絶える"}
	FaultCutRandom = Msg{"random cut after %d packets (drawn from %d to %d, seed %d)", "%d パケット後にランダムに切断（%d〜%d から抽選、シード %d）"}
)

// The fault lab: errors, each shown next to the control that caused it.
var (
	FaultErrBusy       = Msg{"Another experiment on this page is still running: wait until it has finished.", "このページの別の実験がまだ実行中です。終わるまでお待ちください。"}
	FaultErrNoAck      = Msg{"The publisher never got its acknowledgement after the cut, not even by resending. Run the lesson again; if it fails again, the broker may be restarting or overloaded.", "切断のあと、再送してもパブリッシャーに確認応答が届きませんでした。もう一度レッスンを実行してください。再び失敗する場合は、ブローカーが再起動中か過負荷かもしれません。"}
	FaultErrNoReply    = Msg{"The server did not answer: is it still running?", "サーバーから応答がありません。サーバーは動いていますか？"}
	FaultErrNotSettled = Msg{"Some QoS 1 or 2 messages never arrived, however long the run waited for them: the results count them as lost.", "QoS 1・2 のメッセージの一部が、待っても届きませんでした。結果では消失として数えています。"}
	FaultErrCutMax     = Msg{"The largest number of packets must not be below the smallest (%d).", "最大パケット数は最小パケット数（%d）以上にしてください。"}
)

// The fault lab: why the broker cannot be restarted from this page, and
// what went wrong with a restart (the server's codes, app/brokerapi).
var (
	RestartWhyOperatorOff = Msg{"the server's operator turned broker restarts off (-broker-restart=off).", "サーバーの運用者がブローカーの再起動を無効にしています（-broker-restart=off）。"}
	RestartWhyPublic      = Msg{"the server listens where other machines can reach it, so a page may not restart the broker everyone shares. Its operator can allow it with -broker-restart=on.", "サーバーが他のマシンから届くアドレスで待ち受けているため、みんなで共有するブローカーをページから再起動することはできません。運用者は -broker-restart=on で許可できます。"}
	RestartWhyProxy       = Msg{"this page reached the server through a proxy or a host name that is not this machine's own, so it may not restart the broker. The server's operator can allow it with -broker-restart=on.", "このページはプロキシ経由か、このマシン以外のホスト名でサーバーにアクセスしているため、ブローカーを再起動できません。サーバーの運用者は -broker-restart=on で許可できます。"}
	RestartWhyExternal    = Msg{"the broker is external: someone else runs it, so this server can neither restart it nor change its persistence.", "ブローカーは外部のものです。別の誰かが運用しているので、このサーバーは再起動も永続化の変更もできません。"}
	RestartErrBusy        = Msg{"Another broker restart is under way (perhaps from another tab): try again when it has finished.", "別のブローカー再起動が進行中です（別のタブからかもしれません）。終わってからもう一度お試しください。"}
	RestartErrNotBack     = Msg{"The broker did not come back after the restart; the server keeps trying. Try again in a moment.", "再起動のあとブローカーが戻りませんでした。サーバーは再試行を続けています。しばらくしてからもう一度お試しください。"}
	RestartErrShutdown    = Msg{"The server is shutting down: the broker was not restarted.", "サーバーが停止処理中のため、ブローカーは再起動されませんでした。"}
	RestartErrRefused     = Msg{"The server refused the restart (HTTP %d).", "サーバーが再起動を拒否しました（HTTP %d）。"}
)

// The fault lab: the persistence selector shows the broker's setting, and
// a restart that changes the shared broker's setting asks first.
var (
	RestartWillSwitch  = Msg{"This differs from the broker's current setting (%s): the restart will switch the broker to it, for everyone.", "ブローカーの現在の設定（%s）と異なります。再起動でブローカーがこの設定に切り替わり、全員に影響します。"}
	RestartConfirmText = Msg{"This restart switches the broker's persistence from “%s” to “%s”. The broker is shared: every client of this server is disconnected, and the broker keeps the new setting after the lesson until someone changes it again.", "この再起動でブローカーの永続化が「%s」から「%s」に切り替わります。ブローカーは共有されています。このサーバーのすべてのクライアントが切断され、レッスンのあとも誰かが戻すまで新しい設定のままです。"}
	RestartConfirmYes  = Msg{"Switch and restart", "切り替えて再起動"}
	RestartConfirmNo   = Msg{"Cancel", "キャンセル"}
	RestartKeeps       = Msg{"The restart keeps the broker's current setting.", "再起動してもブローカーの現在の設定は変わりません。"}
)

// The fault lab: a run that went on while the learner was on another page.
var (
	FaultsRanAway = Msg{"This run went on while you were on another page.", "このページを離れている間も、この実行は続いていました。"}
)

// FaultSeconds is a time in seconds, e.g. how long the last will took.
var FaultSeconds = Msg{"%.2f s", "%.2f 秒"}

// FaultLinkLesson says a link's lesson= was not a lesson.
var FaultLinkLesson = Msg{"The link's lesson=%q was ignored: a lesson is a QoS, 0, 1 or 2.", "リンクの lesson=%q は無視しました。レッスンは QoS の 0・1・2 のいずれかです。"}
