package i18n

// Captures to take away and to bring in (issue 16, items 4 and 5): the
// export card of the playground and the fault lab, and the playground's
// import (packages capture, capworker).
var (
	CapHeading     = Msg{"Save or open a capture", "キャプチャの保存と読み込み"}
	CapSaveHeading = Msg{"Save these packets", "このパケットを保存"}
	CapIntro       = Msg{
		"Save the packets above as a file. pcapng opens in Wireshark, whose MQTT dissector decodes every packet: MQTT over TCP port 1883 between the tab (192.0.2.2) and the broker (192.0.2.1), at the times this page saw them. JSON holds the packet list, the settings and the counts, for a script of your own. Passwords are masked. The file is made in this tab; nothing is uploaded.",
		"上のパケットをファイルに保存します。pcapng は Wireshark で開くと、MQTT ディセクタがパケットを 1 つずつ解析します（タブ 192.0.2.2 とブローカー 192.0.2.1 の間の TCP ポート 1883 の MQTT として、このページが見た時刻のまま記録されます）。JSON にはパケット一覧・設定・集計が入り、自分のスクリプトで読めます。パスワードは伏せ字になります。ファイルはこのタブの中で作られ、どこにも送信されません。",
	}
	CapPcap      = Msg{"pcapng for Wireshark", "pcapng（Wireshark 用）"}
	CapJSON      = Msg{"JSON", "JSON"}
	CapNoPackets = Msg{"No packets to save yet.", "保存するパケットはまだありません。"}
	CapWorking   = Msg{"Preparing the file…", "ファイルを準備しています…"}
	CapSaved     = Msg{"Saved {file}.", "{file} を保存しました。"}

	CapOpenHeading = Msg{"Open a capture", "キャプチャを開く"}
	CapOpenHelp    = Msg{
		"Open a pcap or pcapng file from Wireshark, dumpcap or tcpdump: its MQTT packets on the TCP port below are replayed in the sequence diagram and the packet list, with the capture's own timing. The file is read in this tab; nothing is uploaded.",
		"Wireshark・dumpcap・tcpdump で保存した pcap または pcapng ファイルを開くと、下の TCP ポートの MQTT パケットを、記録された時間間隔のままシーケンス図とパケット一覧で再生します。ファイルはこのタブの中で読み込まれ、どこにも送信されません。",
	}
	CapPort      = Msg{"Broker's TCP port", "ブローカーの TCP ポート"}
	CapPortHelp  = Msg{"1883 is MQTT's own port.", "1883 は MQTT の標準ポートです。"}
	CapFile      = Msg{"Capture file (pcap, pcapng)", "キャプチャファイル（pcap・pcapng）"}
	CapReading   = Msg{"Reading {file}…", "{file} を読み込んでいます…"}
	CapShowing   = Msg{"The sequence diagram and the packet list show the file {file}, not this tab's connection: {n} MQTT packets captured over {span}, TCP connections: {conns}.", "シーケンス図とパケット一覧には、このタブの接続ではなくファイル {file} の内容を表示しています：MQTT パケット {n} 個（{span} 間の記録、TCP 接続 {conns} 本）。"}
	CapReplaying = Msg{"Replaying: {shown} of {n} packets. Pauses longer than 2 s are shortened to 2 s.", "再生中：{shown} / {n} パケット。2 秒を超える間隔は 2 秒に縮めています。"}
	CapBanner    = Msg{"The sequence diagram and the packet list below replay the file {file}, not this tab's connection.", "下のシーケンス図とパケット一覧は、このタブの接続ではなく、ファイル {file} の再生です。"}
	CapMore      = Msg{"The file has more packets: only the first {n} are shown.", "ファイルにはさらにパケットがありますが、最初の {n} 個だけを表示しています。"}
	CapShowAll   = Msg{"Show all now", "すべて表示"}
	CapReplay    = Msg{"Replay again", "もう一度再生"}
	CapBackLive  = Msg{"Back to this tab's packets", "このタブのパケットに戻る"}

	CapErrNotCapture = Msg{"{file} is not a capture file. Choose a pcap or pcapng file saved by Wireshark, dumpcap or tcpdump.", "{file} はキャプチャファイルではありません。Wireshark・dumpcap・tcpdump で保存した pcap または pcapng ファイルを選んでください。"}
	CapErrDamaged    = Msg{"{file} is damaged: part of it cannot be read as pcap or pcapng.", "{file} は壊れています。pcap・pcapng として読めない部分があります。"}
	CapErrTruncated  = Msg{"{file} ends in the middle of a packet (the capture was cut short). The packets before that point are shown.", "{file} はパケットの途中で終わっています（キャプチャが途中で切れています）。そこまでのパケットを表示しています。"}
	CapErrNoMQTT     = Msg{"{file} has no TCP on port {port}, so there is no MQTT to show. Is the broker on another port? The busiest TCP ports in the file: {ports}.", "{file} にはポート {port} の TCP がないため、表示できる MQTT がありません。ブローカーは別のポートではありませんか？ このファイルでよく使われている TCP ポート：{ports}。"}
	CapErrNoTCP      = Msg{"{file} has no TCP at all, so there is no MQTT to show.", "{file} には TCP がまったく含まれていないため、表示できる MQTT がありません。"}
	CapErrNotMQTT    = Msg{"{file} has TCP on port {port}, but what it carries is not MQTT 3.1.1.", "{file} にはポート {port} の TCP がありますが、その中身は MQTT 3.1.1 ではありません。"}
	CapErrTooLarge   = Msg{"{file} is larger than {mb} MB: open a shorter capture.", "{file} は {mb} MB を超えています。もっと短いキャプチャを開いてください。"}
	CapErrFailed     = Msg{"This page's file tool (capture.wasm) could not be loaded. Check the connection and try again.", "このページのファイル処理（capture.wasm）を読み込めませんでした。接続を確かめて、もう一度お試しください。"}
	CapErrPort       = Msg{"Enter a port from 1 to 65535.", "1〜65535 のポート番号を入力してください。"}
)
