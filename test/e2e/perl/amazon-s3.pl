#!/usr/bin/perl
# Amazon::S3 0.60 (Debian's libamazon-s3-perl, SigV4 only) against the S3 example behind Castellan
# (run by compat-perl-s3.test.ts): buckets, keys with metadata, V1 and V2 listings, copy, a multipart
# upload, ACL and location reads, deletion. Path style (dns_bucket_names => 0), no https. Prints one
# JSON object {"checks": N, "failures": [...]}.
use strict; use warnings;
use Amazon::S3; use JSON::PP; use Digest::MD5 qw(md5_hex);
my ($host, $kid, $sec) = @ENV{qw(S3_HOST S3_KEY_ID S3_SECRET)};
my ($checks, @fails) = (0);
sub check { my ($name, $ok, $detail) = @_; $checks++; print STDERR ($ok ? 'OK   ' : 'FAIL '), "$name ", ($detail // ''), "\n"; push @fails, "$name: " . ($detail // '') unless $ok }
my $s3 = Amazon::S3->new({ aws_access_key_id => $kid, aws_secret_access_key => $sec, host => $host, secure => 0,
  dns_bucket_names => 0, region => 'us-east-1', retry => 0 });
sub e { my $o = shift; join ' ', grep defined, ($o->err, $o->errstr) }
my $b = $s3->add_bucket({ bucket => 'perl-amazon-s3' });
check('add_bucket', $b ? 1 : 0, e($s3));
$b ||= $s3->bucket({ bucket => 'perl-amazon-s3' });
my $list = $s3->buckets;
check('buckets', $list && grep({ $_->bucket eq 'perl-amazon-s3' } @{ $list->{buckets} }) ? 1 : 0, e($s3));
check('add_key', $b->add_key('a/one.txt', 'one', { content_type => 'text/plain', 'x-amz-meta-k' => 'v' }) ? 1 : 0, e($b));
my $v = $b->get_key('a/one.txt');
check('get_key', $v && $v->{value} eq 'one' && ($v->{'x-amz-meta-k'} // '') eq 'v' && $v->{etag} eq md5_hex('one'), $v ? "$v->{etag}" : e($b));
my $h = $b->head_key('a/one.txt');
check('head_key', $h && $h->{content_length} == 3, $h ? $h->{content_length} : e($b));
check('get_key (missing) is undef', !defined $b->get_key('a/nope') ? 1 : 0, e($b));
$b->add_key("a/k$_", "v$_") for 1..3;
my $l = $b->list({ prefix => 'a/' });
check('list', $l && join(',', map { $_->{key} } @{ $l->{keys} }) eq 'a/k1,a/k2,a/k3,a/one.txt', $l ? join(',', map { $_->{key} } @{ $l->{keys} }) : e($b));
my $l2 = $b->list_v2({ prefix => 'a/', 'max-keys' => 2 });
check('list_v2 (paged)', $l2 && @{ $l2->{keys} } == 2 && $l2->{is_truncated}, $l2 ? scalar(@{ $l2->{keys} }) . ' truncated=' . ($l2->{is_truncated} // '') : e($b));
# list_all_v2 is left out: Amazon::S3 0.60 sends the V2 continuation token as V1's `marker`, which
# ListObjectsV2 does not take, and asks for the first page again forever.
my $all = $b->list_all({ prefix => 'a/', 'max-keys' => 2 });
check('list_all (V1 marker paging)', $all && @{ $all->{keys} } == 4, $all ? scalar @{ $all->{keys} } : e($b));
my $d = $b->list({ delimiter => '/' });
check('list with delimiter', $d && join(',', @{ $d->{common_prefixes} // [] }) eq 'a', $d ? join(',', @{ $d->{common_prefixes} // [] }) : e($b));
check('copy_object', $b->copy_object(source => 'a/one.txt', key => 'a/copy.txt') ? 1 : 0, e($b));
check('copied', (($b->get_key('a/copy.txt') // {})->{value} // '') eq 'one' ? 1 : 0);
my $big = join '', map { chr(65 + $_ % 26) x 1024 } 1 .. 6 * 1024;   # 6 MiB
check('upload_multipart_object', eval { $b->upload_multipart_object(key => 'big.bin', data => $big) } ? 1 : 0, $@ || e($b));
# get_key compares the body's MD5 with the ETag, which for a multipart object is S3's MD5 of the
# parts' MD5s with "-2": Amazon::S3 0.60 croaks on every multipart object (as it would on S3).
my $hb = $b->head_key('big.bin');
my $parts_md5 = md5_hex(join '', map { Digest::MD5::md5(substr $big, $_ * 5 * 1024 * 1024, 5 * 1024 * 1024) } 0, 1);
check('multipart object', $hb && $hb->{content_length} == length($big) && $hb->{etag} eq "$parts_md5-2", $hb ? "$hb->{content_length} $hb->{etag}" : e($b));
my $ge = eval { $b->get_key('big.bin'); 1 } ? '' : $@;
check('get_key of a multipart object: the client refuses its ETag', $ge =~ /\Q$parts_md5-2\E/ ? 1 : 0, substr($ge, 0, 120));
my $loc = $b->get_location_constraint;
check('get_location_constraint', !$b->err, ($loc // 'undef') . ' ' . e($b));
my $acl = $b->get_acl;
check('get_acl', $acl && $acl =~ /AccessControlPolicy/, $acl ? substr($acl, 0, 80) : e($b));
check('delete_bucket (not empty) refused', !$b->delete_bucket && ($b->err // $s3->err // '') =~ /BucketNotEmpty/, e($b) . ' / ' . e($s3));
check("delete_key $_", $b->delete_key($_) ? 1 : 0, e($b)) for ('a/one.txt', 'a/copy.txt', 'big.bin', map { "a/k$_" } 1..3);
check('delete_bucket', $b->delete_bucket ? 1 : 0, e($b));
print encode_json({ checks => $checks, failures => \@fails }), "\n";
