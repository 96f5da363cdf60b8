package i18n

// The fault lab's random-cut run over a link of the playground's network
// conditions (issue 16: conditions on the fault lab's page too).
var (
	BlipsLink     = Msg{"Link", "回線"}
	BlipsLinkHelp = Msg{
		"The network both clients go through, on top of the cuts: on a slow link more messages are on their way when a cut comes, so more are sent again.",
		"両方のクライアントが通るネットワークです（切断はこれとは別に起きます）。遅い回線では、切断の瞬間に途中にあるメッセージが多くなるため、再送も増えます。",
	}
	BlipsOverLink = Msg{"Run over a link of %s.", "回線：%s で実行しました。"}
)
