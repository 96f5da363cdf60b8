package i18n

// Messages of issue 13's home-page items: opening packets from the packet
// list, the checklist's "start over" confirmation, and the checkpoint rules.
var (
	PktOpenLabel    = Msg{"Open packet %d (%s)", "パケット %d（%s）を開く"}
	PacketsOpenHelp = Msg{"Select a packet's number to see its fields and bytes in the sequence diagram's details.", "番号を選ぶと、シーケンス図の詳細欄にそのパケットの内容とバイト列を表示します。"}

	CheckResetAsk    = Msg{"Clear every checkpoint? The progress kept in this browser is lost and cannot be brought back.", "すべてのチェックポイントを消去しますか？このブラウザに保存された進捗は失われ、元に戻せません。"}
	CheckResetYes    = Msg{"Clear my progress", "進捗を消去する"}
	CheckResetCancel = Msg{"Cancel", "キャンセル"}
	CheckAutorunNote = Msg{"A page that runs by itself from its link (autorun) ticks nothing: each checkpoint is earned by your own act.", "リンクから自動実行されたページではチェックは付きません。各チェックポイントは自分で操作して達成します。"}
)

// The home page's own form checks (package formcheck).
var (
	ErrConnectTooLarge = Msg{"Too large: CONNECT would be %d bytes, the server's limit is %d (CONNECT carries the client id, the will and the user name and password).", "大きすぎます：CONNECT が %d バイトになり、サーバーの上限 %d バイトを超えます（CONNECT にはクライアント ID・Will・ユーザー名とパスワードが入ります）。"}
)
