// The MinIO client for Go (minio-go v7, Debian's golang-github-minio-minio-go-v7-dev) against the S3
// example behind Castellan (test/e2e/authorizer-s3-minio-go.test.ts). Over plain HTTP it signs every
// upload chunk by chunk: a PutObject as STREAMING-AWS4-HMAC-SHA256-PAYLOAD, and with TrailingHeaders
// each part of a multipart upload as STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER with a signed CRC32C
// trailer. Reads S3_ENDPOINT (host:port), S3_BUCKET, the writer's and a refused user's keys; prints
// one JSON line: the checks made and the failures.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

var checks int
var failures []string

func check(name string, ok bool, detail interface{}) {
	checks++
	if !ok {
		failures = append(failures, fmt.Sprintf("%s: %v", name, detail))
	}
}

func client(key, secret string) *minio.Client {
	c, err := minio.New(os.Getenv("S3_ENDPOINT"), &minio.Options{
		Creds: credentials.NewStaticV4(key, secret, ""), Secure: false, Region: "us-east-1",
		BucketLookup: minio.BucketLookupPath, TrailingHeaders: true,
	})
	if err != nil {
		panic(err)
	}
	return c
}

func roundTrip(ctx context.Context, c *minio.Client, bucket, key string, data []byte, opts minio.PutObjectOptions) {
	info, err := c.PutObject(ctx, bucket, key, bytes.NewReader(data), int64(len(data)), opts)
	check("put "+key, err == nil && info.Size == int64(len(data)), err)
	obj, err := c.GetObject(ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		check("get "+key, false, err)
		return
	}
	back, err := io.ReadAll(obj)
	check("get "+key, err == nil && bytes.Equal(back, data), err)
}

func main() {
	ctx := context.Background()
	bucket := os.Getenv("S3_BUCKET")
	writer := client(os.Getenv("WRITER_KEY_ID"), os.Getenv("WRITER_SECRET"))
	refused := client(os.Getenv("REFUSED_KEY_ID"), os.Getenv("REFUSED_SECRET"))

	err := writer.MakeBucket(ctx, bucket, minio.MakeBucketOptions{})
	check("make bucket", err == nil, err)

	// One PutObject, chunk-signed in 64 KiB chunks.
	small := bytes.Repeat([]byte("castellan "), 20_000)
	roundTrip(ctx, writer, bucket, "chunked/small.txt", small, minio.PutObjectOptions{})

	// A multipart upload of three parts, each chunk-signed with a signed CRC32C trailer.
	large := make([]byte, 11*1024*1024)
	for i := range large {
		large[i] = byte(i * 7)
	}
	roundTrip(ctx, writer, bucket, "chunked/large.bin", large, minio.PutObjectOptions{PartSize: 5 * 1024 * 1024})

	// Another user, whom no policy allows to write: refused as S3 refuses him.
	_, err = refused.PutObject(ctx, bucket, "chunked/refused.txt", bytes.NewReader(small), int64(len(small)), minio.PutObjectOptions{})
	check("refused put", minio.ToErrorResponse(err).Code == "AccessDenied", err)

	out, _ := json.Marshal(map[string]interface{}{"checks": checks, "failures": append([]string{}, failures...)})
	fmt.Println(string(out))
}
