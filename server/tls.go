package main

import (
	"crypto/tls"
	"fmt"
	"time"
)

// loadTLS reads the certificate and key given by -tls-cert and -tls-key,
// or returns nil when they are not given (plain HTTP).
//
// Browsers install a PWA and run its service worker only in a secure
// context: anywhere but localhost the playground needs HTTPS, either here
// or from a reverse proxy in front (README, "HTTPS"). The page needs no
// setting of its own: it dials wss:// when it was loaded over https://
// (transport.BrokerURL).
//
// The files are read once, at start-up: restart the server after renewing
// the certificate. A certificate that has already expired is refused here,
// as every browser would refuse it.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("-tls-cert %s, -tls-key %s: %w", certFile, keyFile, err)
	}
	if leaf := cert.Leaf; leaf != nil && time.Now().After(leaf.NotAfter) {
		return nil, fmt.Errorf("-tls-cert %s: the certificate expired on %s: renew it", certFile, leaf.NotAfter.Format(time.DateOnly))
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
