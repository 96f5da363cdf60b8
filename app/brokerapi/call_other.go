//go:build !js

package brokerapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// call makes one request with net/http.
func call(ctx context.Context, method, url string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", ErrNoAnswer, method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("brokerapi: %s %s: %w", method, url, err)
	}
	return decode(resp.StatusCode, data, out)
}
