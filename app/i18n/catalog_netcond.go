package i18n

// The network conditions of the playground's connection (package netcond).
var (
	NetHeading = Msg{"Network conditions", "ネットワーク条件"}
	NetIntro   = Msg{
		"Make this tab's connection slow, irregular or thin, on the real packets: the server's gateway holds them back on their way to and from the broker. Only this tab's connection changes, never a neighbour's. Try QoS 1 over a satellite link and watch the acknowledgements take their time in the packet list.",
		"このタブの接続を、実際のパケットのまま遅く・不安定に・細くします。サーバーのゲートウェイが、ブローカーとの行き帰りでパケットを待たせます。変わるのはこのタブの接続だけで、ほかの人の接続には影響しません。衛星回線で QoS 1 を送り、確認応答が届くまでの時間をパケット一覧で確かめてみましょう。",
	}
	NetPresetLabel = Msg{"Link", "回線"}
	NetPerfect     = Msg{"Perfect link: no delay, no limit", "理想的な回線：遅延なし・帯域制限なし"}
	NetCustom      = Msg{"Your own numbers", "自分で数値を指定"}
	NetCampusWiFi  = Msg{"Good campus Wi-Fi", "良好な学内 Wi-Fi"}
	NetWeak3G      = Msg{"Phone on a weak 3G signal", "電波の弱い 3G のスマートフォン"}
	NetSatellite   = Msg{"Satellite link", "衛星回線"}
	NetFactory     = Msg{"Factory floor that drops the connection", "接続が切れる工場の現場"}
	// NetNumbers is a preset's numbers: latency, jitter, up, down.
	NetNumbers     = Msg{"%d ms ± %d ms each way, up %s, down %s", "片道 %d ms ± %d ms、上り %s、下り %s"}
	NetCutRange    = Msg{", cut after %d to %d packets", "、%d〜%d パケットごとに切断"}
	NetKbps        = Msg{"%d kbit/s", "%d kbit/s"}
	NetNoLimit     = Msg{"no limit", "制限なし"}
	NetLatency     = Msg{"Latency, each way (ms)", "遅延・片道（ms）"}
	NetJitter      = Msg{"Jitter (ms)", "ゆらぎ（ジッター、ms）"}
	NetJitterHlp   = Msg{"Each packet's delay varies by up to this much either way; packets still arrive in order, as in TCP.", "パケットごとの遅延が、この幅で前後にばらつきます。TCP と同じく、順序は入れ替わりません。"}
	NetUp          = Msg{"Bandwidth tab→broker (kbit/s)", "帯域 タブ→ブローカー（kbit/s）"}
	NetDown        = Msg{"Bandwidth broker→tab (kbit/s)", "帯域 ブローカー→タブ（kbit/s）"}
	NetBwHelp      = Msg{"0 means no limit; 56 is an old dial-up modem.", "0 は制限なし。56 は昔のダイヤルアップモデム程度です。"}
	NetCutMin      = Msg{"Cut the connection after at least (packets)", "接続を切断するまでのパケット数（最小）"}
	NetCutMax      = Msg{"and at most (packets)", "切断するまでのパケット数（最大）"}
	NetCutHelp     = Msg{"A random number in this range, drawn again on each connection, both directions counted; 0 and 0: never. The cut is made by the server's gateway (on the in-tab broker, by the page).", "この範囲から接続ごとにランダムに選ばれます（両方向のパケットを数えます）。0 と 0 なら切断しません。切断はサーバーのゲートウェイが行います（タブ内ブローカーではページが行います）。"}
	NetErrCutRange = Msg{"Enter a number no smaller than the smallest (%d).", "最小値（%d）以上の数を入力してください。"}
	NetApply       = Msg{"Apply to this connection", "この接続に適用"}
	NetApplied     = Msg{"Applied to this tab's connection, and to every reconnection: %s.", "このタブの接続（再接続後も）に適用中：%s。"}
	NetNone        = Msg{"No conditions: the link is as fast as the server's network.", "条件なし：サーバーのネットワークそのままの速さです。"}
	NetConnect     = Msg{"Connect first: the conditions apply to a live connection.", "先に接続してください。条件は接続中の回線に適用されます。"}
	NetInTab       = Msg{"On the in-tab broker there is no gateway: the page slows down and cuts its own end of the link by the same rules, from the next connection on (disconnect and connect again).", "タブ内ブローカーにはゲートウェイがないため、ページが自分の側の回線を同じ規則で遅くしたり切断したりします。次の接続から適用されます（いったん切断して接続し直してください）。"}
	NetErrRange    = Msg{"Enter a whole number from %d to %d.", "%d〜%d の整数を入力してください。"}
	NetErrBw       = Msg{"Enter 0 (no limit) or a whole number from %d to %d.", "0（制限なし）か、%d〜%d の整数を入力してください。"}
)
