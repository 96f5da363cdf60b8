package i18n

// Captures to take away and to bring in (issue 16, items 4 and 5): the
// export card of the playground and the fault lab, and the playground's
// import (packages capture, capworker).
var (
	CapHeading = Msg{"Save or open a capture", "キャプチャの保存と読み込み"}
	CapIntro   = Msg{
		"Save the packets above as a file. pcapng opens in Wireshark, whose MQTT dissector decodes every packet: MQTT over TCP port 1883 between the tab (192.0.2.2) and the broker (192.0.2.1), at the times this page saw them. JSON holds the packet list, the settings and the counts, for a script of your own. Passwords are masked. The file is made in this tab; nothing is uploaded.",
		"上のパケットをファイルに保存します。pcapng は Wireshark で開くと、MQTT ディセクタがパケットを 1 つずつ解析します（タブ 192.0.2.2 とブローカー 192.0.2.1 の間の TCP ポート 1883 の MQTT として、このページが見た時刻のまま記録されます）。JSON にはパケット一覧・設定・集計が入り、自分のスクリプトで読めます。パスワードは伏せ字になります。ファイルはこのタブの中で作られ、どこにも送信されません。",
	}
	CapPcap      = Msg{"pcapng for Wireshark", "pcapng（Wireshark 用）"}
	CapJSON      = Msg{"JSON", "JSON"}
	CapNoPackets = Msg{"No packets to save yet.", "保存するパケットはまだありません。"}
	CapWorking   = Msg{"Preparing the file…", "ファイルを準備しています…"}
	CapSaved     = Msg{"Saved %s (%d packets).", "%s を保存しました（%d パケット）。"}

	CapOpenHeading = Msg{"Open a capture", "キャプチャを開く"}
	CapOpenHelp    = Msg{
		"Open a pcap or pcapng file from Wireshark, dumpcap or tcpdump: its MQTT packets on the TCP port below are replayed in the sequence diagram and the packet list, with the capture's own timing. The file is read in this tab; nothing is uploaded.",
		"Wireshark・dumpcap・tcpdump で保存した pcap または pcapng ファイルを開くと、下の TCP ポートの MQTT パケットを、記録された時間間隔のままシーケンス図とパケット一覧で再生します。ファイルはこのタブの中で読み込まれ、どこにも送信されません。",
	}
	CapPort      = Msg{"Broker's TCP port", "ブローカーの TCP ポート"}
	CapPortHelp  = Msg{"1883 is MQTT's own port.", "1883 は MQTT の標準ポートです。"}
	CapFile      = Msg{"Capture file (pcap, pcapng)", "キャプチャファイル（pcap・pcapng）"}
	CapReading   = Msg{"Reading %s…", "%s を読み込んでいます…"}
	CapShowing   = Msg{"Showing %s: %d MQTT packets on %d connections, over %s.", "%s を表示中：MQTT パケット %d 個、接続 %d 本、%s 分の記録です。"}
	CapReplaying = Msg{"Replaying: %d of %d packets. Pauses longer than 2 s are shortened to 2 s.", "再生中：%d / %d パケット。2 秒を超える間隔は 2 秒に縮めています。"}
	CapMore      = Msg{"The file has more packets: only the first %d are shown.", "ファイルにはさらにパケットがありますが、最初の %d 個だけを表示しています。"}
	CapShowAll   = Msg{"Show all now", "すべて表示"}
	CapReplay    = Msg{"Replay again", "もう一度再生"}
	CapBackLive  = Msg{"Back to this tab's packets", "このタブのパケットに戻る"}
	CapImported  = Msg{"The sequence diagram and the packet list show the file %s, not this tab's connection.", "シーケンス図とパケット一覧には、このタブの接続ではなくファイル %s の内容を表示しています。"}

	CapErrNotCapture = Msg{"%s is not a capture file. Choose a pcap or pcapng file saved by Wireshark, dumpcap or tcpdump.", "%s はキャプチャファイルではありません。Wireshark・dumpcap・tcpdump で保存した pcap または pcapng ファイルを選んでください。"}
	CapErrDamaged    = Msg{"%s is damaged: part of it cannot be read as pcap or pcapng.", "%s は壊れています。pcap・pcapng として読めない部分があります。"}
	CapErrTruncated  = Msg{"%s ends in the middle of a packet (the capture was cut short). The packets before that point are shown.", "%s はパケットの途中で終わっています（キャプチャが途中で切れています）。そこまでのパケットを表示しています。"}
	CapErrNoMQTT     = Msg{"%s has no TCP on port %d, so there is no MQTT to show. Is the broker on another port? The busiest TCP ports in the file: %s.", "%s にはポート %d の TCP がないため、表示できる MQTT がありません。ブローカーは別のポートではありませんか？ このファイルでよく使われている TCP ポート：%s。"}
	CapErrNoTCP      = Msg{"%s has no TCP at all, so there is no MQTT to show.", "%s には TCP がまったく含まれていないため、表示できる MQTT がありません。"}
	CapErrNotMQTT    = Msg{"%s has TCP on port %d, but what it carries is not MQTT 3.1.1.", "%s にはポート %d の TCP がありますが、その中身は MQTT 3.1.1 ではありません。"}
	CapErrTooLarge   = Msg{"%s is larger than %d MB: open a shorter capture.", "%s は %d MB を超えています。もっと短いキャプチャを開いてください。"}
	CapErrFailed     = Msg{"This page's file tool (capture.wasm) could not be loaded. Check the connection and try again.", "このページのファイル処理（capture.wasm）を読み込めませんでした。接続を確かめて、もう一度お試しください。"}
	CapErrPort       = Msg{"Enter a port from 1 to 65535.", "1〜65535 のポート番号を入力してください。"}
)
