#!/usr/bin/perl
# Net::Amazon::S3 0.991 (Debian's libnet-amazon-s3-perl) against the S3 example behind Castellan
# (run by compat-perl-s3.test.ts): its Client interface (buckets, objects, head, listing, a SigV4
# presigned URL, multipart, multi-object delete) and its legacy one. A generic vendor: path style,
# no https, SigV4. Prints one JSON object {"checks": N, "failures": [...]}.
use strict; use warnings;
use Net::Amazon::S3; use Net::Amazon::S3::Client; use Net::Amazon::S3::Vendor::Generic;
use LWP::UserAgent; use Digest::MD5 qw(md5_hex); use JSON::PP;
my ($host, $kid, $sec) = @ENV{qw(S3_HOST S3_KEY_ID S3_SECRET)};
my ($checks, @fails) = (0);
sub check { my ($name, $ok, $detail) = @_; $checks++; print STDERR ($ok ? 'OK   ' : 'FAIL '), "$name ", ($detail // ''), "\n"; push @fails, "$name: " . ($detail // '') unless $ok }
sub try_check { my ($name, $code) = @_; my @r = eval { $code->() }; if ($@) { my ($first) = split /\n/, "$@"; check($name, 0, 'died: ' . substr($first, 0, 300)) } return wantarray ? @r : $r[0] }
my $vendor = Net::Amazon::S3::Vendor::Generic->new(
  host => $host, use_https => 0, use_virtual_host => 0,
  authorization_method => 'Net::Amazon::S3::Signature::V4', default_region => 'us-east-1');
my $s3 = Net::Amazon::S3->new(aws_access_key_id => $kid, aws_secret_access_key => $sec, vendor => $vendor, retry => 0);
my $client = Net::Amazon::S3::Client->new(s3 => $s3);
my $ua = LWP::UserAgent->new;

# Client interface
my $bucket = try_check('create_bucket', sub { $client->create_bucket(name => 'perl-client') });
check('create_bucket', defined $bucket && $bucket->name eq 'perl-client');
my @names = try_check('buckets', sub { map { $_->name } $client->buckets });
check('buckets lists it', (grep { $_ eq 'perl-client' } @names) ? 1 : 0, "@names");
my $body = "hello from perl\n" x 100;
my $obj = $bucket->object(key => 'dir/hello.txt', content_type => 'text/plain');
try_check('put', sub { $obj->put($body) });
check('get', (try_check('get', sub { $obj->get }) // '') eq $body);
check('exists', try_check('exists', sub { $obj->exists }) ? 1 : 0);
my $head = try_check('head', sub { $bucket->object(key => 'dir/hello.txt')->head });
check('head etag', ref $head eq 'HASH' && ($head->{ETag} // $head->{etag} // '') =~ /\Q${\ md5_hex($body)}\E/, encode_json($head // {}));
check('exists (missing key)', !(try_check('exists missing', sub { $bucket->object(key => 'nope')->exists })) ? 1 : 0);
$bucket->object(key => "dir/k$_")->put("v$_") for 1..3;
my $stream = $bucket->list({ prefix => 'dir/' });
my @keys; until ($stream->is_done) { push @keys, map { $_->key } $stream->items }
check('list prefix', "@keys" eq 'dir/hello.txt dir/k1 dir/k2 dir/k3', "@keys");
# signed URLs: GET (the V4 signer presigns) and its expiry
my $uri = try_check('query_string_authentication_uri', sub { $bucket->object(key => 'dir/hello.txt', expires => time + 300)->query_string_authentication_uri });
my $res = $ua->get($uri);
check('signed GET URL', $res->code == 200 && $res->decoded_content eq $body, $res->code . ' ' . substr($uri, 0, 120));
my $tampered = $uri; $tampered =~ s/dir%2Fhello|dir\/hello/dir\/k1/;
$res = $ua->get($tampered);
check('signed URL for another key refused', $res->code == 403, $res->code . ' ' . substr($res->decoded_content, 0, 200));
# multipart
my $big = 'x' x (5 * 1024 * 1024 + 10);
my $mp = $bucket->object(key => 'big.bin');
my $upload_id = try_check('initiate_multipart_upload', sub { $mp->initiate_multipart_upload });
if ($upload_id) {
  my @etags; my @parts;
  for my $i (1, 2) {
    my $part = $i == 1 ? substr($big, 0, 5 * 1024 * 1024) : substr($big, 5 * 1024 * 1024);
    # Client::Object::put_part of 0.991 passes acl_short to a request class that refuses it (a client bug): the operation itself.
    my $r = try_check("put_part $i", sub { $client->_perform_operation('Net::Amazon::S3::Operation::Object::Upload::Part',
      bucket => 'perl-client', key => 'big.bin', upload_id => $upload_id, part_number => $i, value => $part, headers => { 'Content-Length' => length $part })->http_response });
    push @etags, $r ? $r->header('ETag') : ''; push @parts, $i;
  }
  try_check('complete_multipart_upload', sub { $mp->complete_multipart_upload(upload_id => $upload_id, etags => \@etags, part_numbers => \@parts) });
  my $got = try_check('get multipart object', sub { $bucket->object(key => 'big.bin')->get }) // '';
  check('multipart object', length($got) == length($big), length($got));
}
my $abort = $bucket->object(key => 'aborted.bin');
my $aid = try_check('initiate (to abort)', sub { $abort->initiate_multipart_upload });
try_check('abort_multipart_upload', sub { $abort->abort_multipart_upload(upload_id => $aid) }) if $aid;
# delete
my $multi = try_check('delete_multi_object', sub { $bucket->delete_multi_object(map { $bucket->object(key => "dir/k$_") } 1..3) });
check('delete_multi_object', $multi && $multi->is_success ? 1 : 0, $multi ? $multi->code : '');
try_check('delete object', sub { $obj->delete });
check('deleted', !(try_check('exists after delete', sub { $obj->exists })) ? 1 : 0);
my ($err) = split /\n/, do { eval { $bucket->delete }; "$@" };
check('delete non-empty bucket refused', $err =~ /BucketNotEmpty/ ? 1 : 0, $err);
try_check('delete big.bin', sub { $bucket->object(key => 'big.bin')->delete });
try_check('delete bucket', sub { $bucket->delete });

# legacy interface
my $lb = $s3->add_bucket({ bucket => 'perl-legacy' });
check('add_bucket', $lb ? 1 : 0, $s3->err // '');
if ($lb) {
  check('add_key', $lb->add_key('a.txt', 'alpha', { content_type => 'text/plain', 'x-amz-meta-colour' => 'blue' }) ? 1 : 0, $lb->err // '');
  my $v = $lb->get_key('a.txt');
  check('get_key', $v && $v->{value} eq 'alpha' && ($v->{'x-amz-meta-colour'} // '') eq 'blue', $v ? join(',', map { "$_=" . ($v->{$_} // '') } grep { $_ ne 'value' } sort keys %$v) : ($lb->err // ''));
  check('get_key (missing) is undef', !defined $lb->get_key('nope') ? 1 : 0);
  my $l = $lb->list({ prefix => '' });
  check('list', $l && @{ $l->{keys} } == 1 && $l->{keys}[0]{key} eq 'a.txt', $l ? scalar @{ $l->{keys} } : '');
  my $all = $s3->buckets;
  check('buckets (legacy)', $all && grep({ $_->bucket eq 'perl-legacy' } @{ $all->{buckets} }) ? 1 : 0);
  check('copy_key', $lb->copy_key('b.txt', '/perl-legacy/a.txt') ? 1 : 0, $lb->err // '');
  my $legacy_uri = $lb->query_string_authentication_uri('a.txt', time + 300);
  my $lr = $ua->get($legacy_uri);
  check('legacy signed URL', $lr->code == 200 && $lr->decoded_content eq 'alpha', $lr->code . ' ' . substr($legacy_uri, 0, 100));
  check('delete_key', $lb->delete_key('a.txt') && $lb->delete_key('b.txt') ? 1 : 0, $lb->err // '');
  check('delete_bucket', $lb->delete_bucket ? 1 : 0, $lb->err // '');
}
print encode_json({ checks => $checks, failures => \@fails }), "\n";
