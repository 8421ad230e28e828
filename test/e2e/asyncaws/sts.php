<?php
// AsyncAws Core (Debian's php-async-aws-core 1.18) against Castellan's STS (run by compat-asyncaws.test.ts):
// GetCallerIdentity, AssumeRole with session tags and a session policy, GetSessionToken (not in
// AsyncAws Core's StsClient: sent through its request, signer and error parsing), an unsigned
// AssumeRoleWithWebIdentity, and AWS's errors.
// Its credential providers that assume a role (a profile's role_arn + source_profile, the roleArn
// option, web identity) build their own StsClient without the configured endpoint and so always call
// sts.amazonaws.com: against Castellan, assume the role with this client and pass its credentials on.
// Prints one JSON object {"checks": N, "failures": [...]}.
require '/usr/share/php/AsyncAws/Core/autoload.php';
use AsyncAws\Core\Sts\StsClient;
use AsyncAws\Core\Exception\Http\HttpException;
$url = getenv('CASTELLAN_URL');
$account = getenv('CASTELLAN_ACCOUNT_ID');
[$kid, $sec] = [getenv('USER_KEY_ID'), getenv('USER_SECRET')];
$fails = []; $checks = 0;
function check($name, $cond, $detail = '') { global $fails, $checks; $checks++; fwrite(STDERR, ($cond ? 'OK   ' : 'FAIL ')."$name $detail\n"); if (!$cond) $fails[] = "$name: $detail"; }
function client(array $o): StsClient { global $url; return new StsClient($o + ['endpoint' => $url, 'region' => 'us-east-1']); }
function refused($name, callable $f, $code) {
  try { $f(); check($name, false, 'no error'); }
  catch (HttpException $e) { check($name, $e->getAwsCode() === $code, $e->getResponse()->getStatusCode().' '.$e->getAwsCode().' '.$e->getAwsMessage()); }
  catch (\Throwable $e) { check($name, false, get_class($e).': '.$e->getMessage()); }
}
// GetSessionToken is not in AsyncAws Core's StsClient: sent here through its own request, signer and error parsing.
final class SessionTokenClient extends StsClient {
  public function getSessionToken(int $seconds): \SimpleXMLElement {
    $body = http_build_query(['Action' => 'GetSessionToken', 'Version' => '2011-06-15', 'DurationSeconds' => $seconds], '', '&', \PHP_QUERY_RFC1738);
    $req = new \AsyncAws\Core\Request('POST', '/', [], ['content-type' => 'application/x-www-form-urlencoded'], \AsyncAws\Core\Stream\StreamFactory::create($body));
    return new \SimpleXMLElement($this->getResponse($req, new \AsyncAws\Core\RequestContext(['operation' => 'GetSessionToken']))->getContent());
  }
}
$roleArn = "arn:aws:iam::$account:role/php-role";
$sts = client(['accessKeyId' => $kid, 'accessKeySecret' => $sec]);
try {
  $id = $sts->getCallerIdentity();
  check('GetCallerIdentity', $id->getArn() === "arn:aws:iam::$account:user/php" && $id->getAccount() === $account && str_starts_with($id->getUserId(), 'AIDA'), $id->getArn());
} catch (\Throwable $e) { check('GetCallerIdentity', false, get_class($e).': '.$e->getMessage()); }
try {
  $r = $sts->assumeRole(['RoleArn' => $roleArn, 'RoleSessionName' => 'php-sess', 'DurationSeconds' => 900,
    'Tags' => [['Key' => 'team', 'Value' => 'web']], 'TransitiveTagKeys' => ['team'],
    'Policy' => '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]}']);
  $c = $r->getCredentials();
  $left = $c->getExpiration()->getTimestamp() - time();
  check('AssumeRole', str_starts_with($c->getAccessKeyId(), 'ASIA') && $left > 800 && $left <= 900
    && $r->getAssumedRoleUser()->getArn() === "arn:aws:sts::$account:assumed-role/php-role/php-sess"
    && str_ends_with($r->getAssumedRoleUser()->getAssumedRoleId(), ':php-sess') && is_int($r->getPackedPolicySize()),
    $c->getAccessKeyId().' '.$r->getAssumedRoleUser()->getArn().' packed '.var_export($r->getPackedPolicySize(), true));
  $role = client(['accessKeyId' => $c->getAccessKeyId(), 'accessKeySecret' => $c->getSecretAccessKey(), 'sessionToken' => $c->getSessionToken()]);
  $rid = $role->getCallerIdentity();
  check('GetCallerIdentity (role session)', $rid->getArn() === "arn:aws:sts::$account:assumed-role/php-role/php-sess", $rid->getArn());
  refused('AssumeRole from the session, beyond its session policy', fn() => $role->assumeRole(['RoleArn' => $roleArn, 'RoleSessionName' => 'chained'])->resolve(), 'AccessDenied');
} catch (\Throwable $e) { check('AssumeRole', false, get_class($e).': '.$e->getMessage()); }
try {
  $x = (new SessionTokenClient(['endpoint' => $url, 'region' => 'us-east-1', 'accessKeyId' => $kid, 'accessKeySecret' => $sec]))->getSessionToken(900);
  $c = $x->GetSessionTokenResult->Credentials;
  check('GetSessionToken', str_starts_with((string) $c->AccessKeyId, 'ASIA') && strtotime((string) $c->Expiration) - time() <= 900, (string) $c->AccessKeyId.' '.(string) $c->Expiration);
  $s = new SessionTokenClient(['endpoint' => $url, 'region' => 'us-east-1', 'accessKeyId' => (string) $c->AccessKeyId, 'accessKeySecret' => (string) $c->SecretAccessKey, 'sessionToken' => (string) $c->SessionToken]);
  $sid = $s->getCallerIdentity();
  check('GetCallerIdentity (GetSessionToken session)', $sid->getArn() === "arn:aws:iam::$account:user/php", $sid->getArn());
  refused('GetSessionToken from its own session', fn() => $s->getSessionToken(900), 'AccessDenied');
} catch (\Throwable $e) { check('GetSessionToken', false, get_class($e).': '.$e->getMessage()); }
refused('AssumeRole of a role that does not exist', fn() => $sts->assumeRole(['RoleArn' => "arn:aws:iam::$account:role/nope", 'RoleSessionName' => 'ss'])->resolve(), 'AccessDenied');
refused('AssumeRole with a bad session name', fn() => $sts->assumeRole(['RoleArn' => $roleArn, 'RoleSessionName' => 'bad name!'])->resolve(), 'ValidationError');
refused('AssumeRole for 10 seconds', fn() => $sts->assumeRole(['RoleArn' => $roleArn, 'RoleSessionName' => 'ss', 'DurationSeconds' => 10])->resolve(), 'ValidationError');
refused('AssumeRole with a malformed session policy', fn() => $sts->assumeRole(['RoleArn' => $roleArn, 'RoleSessionName' => 'ss', 'Policy' => '{'])->resolve(), 'MalformedPolicyDocument');
refused('a wrong secret', fn() => client(['accessKeyId' => $kid, 'accessKeySecret' => 'x'.$sec])->getCallerIdentity()->resolve(), 'SignatureDoesNotMatch');
refused('an unknown key', fn() => client(['accessKeyId' => 'AKIAAAAAAAAAAAAAAAAA', 'accessKeySecret' => $sec])->getCallerIdentity()->resolve(), 'InvalidClientTokenId');
// AssumeRoleWithWebIdentity needs no credentials: a client with none sends it unsigned.
$anonymous = new StsClient(['endpoint' => $url, 'region' => 'us-east-1'], new \AsyncAws\Core\Credentials\NullProvider());
try {
  $w = $anonymous->assumeRoleWithWebIdentity(['RoleArn' => getenv('WEB_ROLE_ARN'), 'RoleSessionName' => 'php-web', 'WebIdentityToken' => getenv('WEB_TOKEN'), 'DurationSeconds' => 900]);
  check('AssumeRoleWithWebIdentity', str_starts_with($w->getCredentials()->getAccessKeyId(), 'ASIA') && $w->getSubjectFromWebIdentityToken() === 'user-1'
    && $w->getAssumedRoleUser()->getArn() === "arn:aws:sts::$account:assumed-role/php-web/php-web", $w->getAssumedRoleUser()->getArn());
} catch (\Throwable $e) { check('AssumeRoleWithWebIdentity', false, get_class($e).': '.$e->getMessage()); }
try { $anonymous->assumeRoleWithWebIdentity(['RoleArn' => getenv('WEB_ROLE_ARN'), 'RoleSessionName' => 'php-web', 'WebIdentityToken' => getenv('WEB_TOKEN_FOREIGN')])->resolve(); check('a foreign web identity token', false, 'no error'); }
catch (\AsyncAws\Core\Sts\Exception\InvalidIdentityTokenException $e) { check('a foreign web identity token', true); }
catch (\Throwable $e) { check('a foreign web identity token', false, get_class($e).': '.$e->getMessage()); }
echo json_encode(['checks' => $checks, 'failures' => $fails]), "\n";
