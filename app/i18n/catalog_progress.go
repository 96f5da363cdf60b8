package i18n

// The tutorial's learning checkpoints (学習チェックポイント), in its words,
// and how the playground ticks each.
var (
	CheckHeading       = Msg{"Learning checkpoints (%d of %d)", "学習チェックポイント（%d / %d）"}
	CheckHelp          = Msg{"The tutorial's checklist. Each line ticks itself when you have done the experiment that shows it; your progress stays in this browser.", "チュートリアルのチェックリストです。対応する実験を行うと自動でチェックが付きます。進捗はこのブラウザに保存されます。"}
	CheckTodo          = Msg{"to do", "未完了"}
	CheckDoneState     = Msg{"done", "完了"}
	CheckReset         = Msg{"Start over", "進捗をリセット"}
	CheckQoSLevels     = Msg{"I understand the characteristics and uses of QoS 0, 1 and 2", "QoS 0, 1, 2の特性と使用場面を理解している"}
	CheckQoSLevelsHow  = Msg{"Complete a publish at each of QoS 0, 1 and 2 (the playground, or Exercise 1's comparison run), and open a packet of each in the playground: select a QoS 0 PUBLISH, a QoS 1 PUBLISH or PUBACK, and a QoS 2 PUBLISH, PUBREC, PUBREL or PUBCOMP in the sequence diagram or the packet list.", "QoS 0・1・2 のそれぞれで送信を完了させ（プレイグラウンドか演習1の比較実行）、プレイグラウンドでそれぞれのパケットを開く：シーケンス図かパケット一覧で、QoS 0 の PUBLISH、QoS 1 の PUBLISH か PUBACK、QoS 2 の PUBLISH・PUBREC・PUBREL・PUBCOMP のいずれかを選ぶ。"}
	CheckPersistent    = Msg{"I understand how a persistent session works", "Persistent Sessionの動作原理を理解している"}
	CheckPersistentHow = Msg{"Reconnect with clean session off and get \"session present\", with the messages sent while you were away (Exercise 1's persistent-session run).", "Clean Session オフで再接続して「セッションあり」となり、切断中のメッセージを受け取る（演習1の永続セッション実行）。"}
	CheckDuplicates    = Msg{"I can detect and handle duplicate messages", "メッセージ重複検出と処理が実装できる"}
	CheckDuplicatesHow = Msg{"Let the reliable subscriber catch a duplicate (Exercise 2 or 3, or a network blip in the fault lab).", "信頼性サブスクライバーに重複を検出させる（演習2・3、または障害ラボのネットワーク瞬断）。"}
	CheckRetries       = Msg{"I can implement error handling and retries", "エラーハンドリングとリトライ機能を実装できる"}
	CheckRetriesHow    = Msg{"Run the reliable subscriber with the simulated alert failure and watch it retry (Exercise 2 or 3).", "アラート処理の失敗シミュレーションを有効にして、信頼性サブスクライバーのリトライを確かめる（演習2・3）。"}
	CheckQoSChoice     = Msg{"I can choose the right QoS for real IoT scenarios", "実際のIoTシナリオでの適切なQoS選択ができる"}
	CheckQoSChoiceHow  = Msg{"In Task 1, change at least one stream's QoS, run the scenario yourself, then reveal the recommended choices.", "課題1で少なくとも1つのストリームの QoS を自分で変更してシナリオを実行し、そのあと推奨される選択を表示する。"}
)
