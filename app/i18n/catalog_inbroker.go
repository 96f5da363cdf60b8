package i18n

// The in-tab broker (app/ui/inbroker.go): the broker choice, and what the
// page says when it runs on a broker of its own.
var (
	BrokerChoiceLabel   = Msg{"Broker", "ブローカー"}
	BrokerChoiceServer  = Msg{"the server's broker (/mqtt)", "サーバーのブローカー（/mqtt）"}
	BrokerChoiceInTab   = Msg{"a broker in this tab (no server needed)", "このタブの中のブローカー（サーバー不要）"}
	BrokerChoiceHelp    = Msg{"The broker in this tab runs inside the page: it works offline, but only this tab's clients reach it, and the network-fault lessons need the server.", "このタブの中のブローカーはページの中で動きます。オフラインでも使えますが、届くのはこのタブのクライアントだけで、ネットワーク障害のレッスンにはサーバーが必要です。"}
	InTabFallback       = Msg{"The server cannot be reached, so this tab now uses a broker of its own, inside the page. Everything works within this tab; the network-fault lessons need the server.", "サーバーに接続できないため、このタブはページの中の自前のブローカーを使っています。このタブの中ではすべて動きますが、ネットワーク障害のレッスンにはサーバーが必要です。"}
	InTabStatic         = Msg{"This copy of QoS Playground has no server: it runs on a broker inside this tab.", "この QoS プレイグラウンドにはサーバーがありません。このタブの中のブローカーで動いています。"}
	InTabChosen         = Msg{"This tab uses its own broker, inside the page.", "このタブはページの中の自前のブローカーを使っています。"}
	BrokerInTab         = Msg{"the broker in this tab (mochi-mqtt, inside the page)", "このタブの中のブローカー（mochi-mqtt、ページ内）"}
	InTabSaving         = Msg{"It keeps sessions and queued messages in the tab's memory as they change: with persistence on a restart keeps them, clean stop or crash alike (there is no disk and no save timer); off forgets them. Reloading the page forgets everything.", "セッションとキューのメッセージは、変わるたびにタブのメモリに保存されます（ディスクも保存タイマーもありません）。永続化がオンなら再起動しても（正常停止でもクラッシュでも）残り、オフなら消えます。ページを再読み込みすると、すべて消えます。"}
	FaultsNeedServer    = Msg{"The network faults (the one-click lessons, the counted blips and the client crash) are made by the server's gateway, which the broker in this tab does not have: they are off here. The broker restart works in the tab.", "ネットワーク障害（ワンクリックのレッスン、瞬断の集計、クライアントの異常終了）はサーバーのゲートウェイが起こします。このタブの中のブローカーにはゲートウェイがないため、ここでは使えません。ブローカーの再起動はタブの中でも試せます。"}
	ErrInTabUnavailable = Msg{"The broker in this tab could not be started (%s). Use the server's broker instead; the browser keeps a copy of the tab's broker after one visit to a server that offers it.", "このタブの中のブローカーを起動できませんでした（%s）。サーバーのブローカーを使ってください。タブのブローカーは、それを提供するサーバーを一度開くとブラウザに保存されます。"}
)
