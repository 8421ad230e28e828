# Ruby's AWS SDK v1 (Debian's ruby-aws-sdk 1.67: AWS::IAM and AWS::STS, API versions 2010-05-08 and
# 2011-06-15) against Castellan, run by compat-ruby-sdk-v1.test.ts. IAM over plain HTTP (CASTELLAN_HOST,
# CASTELLAN_PORT) and over TLS (TLS_PORT, a terminator in front of Castellan whose certificate is CA_FILE);
# STS over TLS only: its client refuses `use_ssl: false`. Signed as an IAM user allowed everything
# (KEY_ID, SECRET) in ACCOUNT. Prints one JSON object {"checks": N, "failures": [...]}.
require 'aws-sdk-v1'
require 'json'
require 'openssl'

$checks = 0
$failures = []
def check(name, ok, detail = nil)
  $checks += 1
  $stderr.puts "#{ok ? 'OK  ' : 'FAIL'} #{name} #{detail}"
  $failures << "#{name}: #{detail}" unless ok
end
# Runs the block; a raised error is a failed check naming it.
def step(name)
  ok, detail = yield
  check(name, ok, detail)
rescue => e
  check(name, false, "#{e.class}: #{e.message}")
end
# The error class the block raises (nil when none).
def raised
  yield
  nil
rescue => e
  e.class
end
# The RFC 6238 code of a base-32 `seed` for the 30-second `step`.
def totp(seed, step)
  key = base32_decode(seed)
  digest = OpenSSL::HMAC.digest('SHA1', key, [step].pack('Q>'))
  offset = digest.bytes.last & 15
  format('%06d', (digest[offset, 4].unpack1('N') & 0x7fffffff) % 1_000_000)
end
def base32_decode(s)
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  bits = s.delete('=').chars.map { |c| alphabet.index(c).to_s(2).rjust(5, '0') }.join
  [bits[0, bits.length / 8 * 8]].pack('B*')
end

host, port, tls_port, account = ENV.values_at('CASTELLAN_HOST', 'CASTELLAN_PORT', 'TLS_PORT', 'ACCOUNT')
creds = { access_key_id: ENV.fetch('KEY_ID'), secret_access_key: ENV.fetch('SECRET') }
AWS.config(creds.merge(region: 'us-east-1', max_retries: 0))
plain = { iam_endpoint: host, iam_port: port.to_i, use_ssl: false }
tls = { iam_endpoint: host, iam_port: tls_port.to_i, sts_endpoint: host, sts_port: tls_port.to_i, use_ssl: true, ssl_ca_file: ENV.fetch('CA_FILE') }
iam = AWS::IAM.new(plain)
c = iam.client
iam_tls = AWS::IAM.new(tls)
sts = AWS::STS.new(tls)
doc = ->(*statements) { JSON.generate('Version' => '2012-10-17', 'Statement' => statements) }

# --- users, paths, collections paged with MaxItems/Marker ---
u = nil
step('users.create with a path') { u = iam.users.create('ruby-alice', path: '/ruby/'); [u.arn == "arn:aws:iam::#{account}:user/ruby/ruby-alice", u.arn] }
step('users[name].exists?') { [iam.users['ruby-alice'].exists? && !iam.users['ruby-ghost'].exists?] }
step('users.create of a taken name: EntityAlreadyExists') { e = raised { iam.users.create('ruby-alice') }; [e == AWS::IAM::Errors::EntityAlreadyExists, e] }
%w[ruby-b ruby-c ruby-d ruby-e].each { |n| iam.users.create(n, path: '/ruby/') }
step('users.each in pages of 2 (MaxItems, Marker)') { names = []; iam.users.with_prefix('/ruby/').each(batch_size: 2) { |x| names << x.name }; [names.sort == %w[ruby-alice ruby-b ruby-c ruby-d ruby-e], names.join(',')] }
step('client.list_users max_items: is_truncated and marker') { r = iam.client.list_users(path_prefix: '/ruby/', max_items: 2); [r[:is_truncated] && r[:marker] && r[:users].size == 2, r.data.inspect[0, 200]] }
step('users over TLS') { [iam_tls.users['ruby-alice'].arn == u.arn] }
step('user attributes: id, create_date, path') { [u.id.start_with?('AIDA') && u.create_date.is_a?(Time) && u.path == '/ruby/', "#{u.id} #{u.create_date.inspect}"] }
step('user.name = renames') { x = iam.users['ruby-e']; x.name = 'ruby-f'; [iam.users['ruby-f'].exists? && !iam.users['ruby-e'].exists?] }

# --- inline policies, groups ---
step('user.policies[] = AWS::IAM::Policy; get_user_policy answers it URL-encoded') do
  u.policies['read-self'] = AWS::IAM::Policy.new { |p| p.allow(actions: ['iam:GetUser'], resources: u.arn) }
  got = JSON.parse(URI.decode_www_form_component(c.get_user_policy(user_name: 'ruby-alice', policy_name: 'read-self')[:policy_document]))
  [u.policies.names.to_a == ['read-self'] && got['Statement'].first['Action'] == ['iam:GetUser'], got.inspect[0, 200]]
end
# The SDK's own reader calls URI.unescape, which Ruby 3.0 removed: a client bug, as it would meet AWS.
step('user.policies[name] on Ruby 3: the client’s URI.unescape is gone') { e = (u.policies['read-self'] && nil rescue $!); [e.is_a?(NoMethodError) && e.message.include?('unescape'), e.inspect[0, 120]] }
g = nil
step('groups.create, group.users.add, user.groups') do
  g = iam.groups.create('ruby-team')
  g.users.add(u)
  [u.groups.map(&:name) == ['ruby-team'] && g.users.map(&:name) == ['ruby-alice']]
end
step('group.policies[] = a policy document') { g.policies['list'] = AWS::IAM::Policy.from_json(doc.({ 'Effect' => 'Allow', 'Action' => 'iam:ListUsers', 'Resource' => '*' })); [g.policies.names.to_a == ['list']] }
step('group.delete while it has members: DeleteConflict') { e = raised { g.delete }; [e == AWS::IAM::Errors::DeleteConflict, e] }

# --- access keys ---
k = nil
k_secret = nil
step('access_keys.create: id and secret') { k = u.access_keys.create; k_secret = k.secret; [k.id.start_with?('AKIA') && k_secret.length == 40 && k.active?, k.id] }
step('access key deactivate!/activate!') { k.deactivate!; a = iam.users['ruby-alice'].access_keys[k.id].status; k.activate!; [a == :inactive && k.active?, a] }
step('the new key signs: GetUser of itself') { me = AWS::IAM.new(plain.merge(access_key_id: k.id, secret_access_key: k_secret)).client.get_user; [me[:user][:user_name] == 'ruby-alice', me.data.inspect[0, 200]] }
step('the new key is refused what its policies do not allow: AccessDenied') { e = raised { AWS::IAM.new(plain.merge(access_key_id: k.id, secret_access_key: k_secret)).users.create('nope') }; [e == AWS::IAM::Errors::AccessDenied, e] }
step('a wrong secret: SignatureDoesNotMatch') { e = raised { AWS::IAM.new(plain.merge(access_key_id: k.id, secret_access_key: 'x' * 40)).client.get_user }; [e == AWS::IAM::Errors::SignatureDoesNotMatch, e] }
step('an unknown key: InvalidClientTokenId') { e = raised { AWS::IAM.new(plain.merge(access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: 'x' * 40)).client.get_user }; [e == AWS::IAM::Errors::InvalidClientTokenId, e] }

# --- login profile, password policy, alias, summary ---
step('login_profile.password =') { u.login_profile.password = 'Ruby-Passw0rd!'; [u.login_profile.exists?] }
step('update_account_password_policy / account_password_policy') do
  iam.update_account_password_policy(minimum_password_length: 14, require_symbols: true, require_numbers: true)
  p = iam.account_password_policy
  [p[:minimum_password_length] == 14 && p[:require_symbols] == true, p.inspect[0, 200]]
end
step('a password below the policy: PasswordPolicyViolation') { e = raised { iam.users['ruby-b'].login_profile.password = 'short' }; [e == AWS::IAM::Errors::PasswordPolicyViolation, e] }
step('delete_account_password_policy') { iam.delete_account_password_policy; [iam.account_password_policy.nil?] }
step('account_alias =') { iam.account_alias = 'ruby-sdk-v1'; [iam.account_alias == 'ruby-sdk-v1'] }
step('remove_account_alias') { iam.remove_account_alias; [iam.account_alias.nil?] }
step('account_summary') { s = iam.account_summary; [s[:users] >= 5 && s[:groups] >= 1, s.select { |k2, _| %i[users groups].include?(k2) }.inspect] }

# --- certificates, generated here with Ruby's OpenSSL ---
rsa = OpenSSL::PKey::RSA.new(2048)
cert = OpenSSL::X509::Certificate.new
cert.version = 2; cert.serial = 1; cert.subject = cert.issuer = OpenSSL::X509::Name.parse('/CN=ruby.example')
cert.public_key = rsa.public_key; cert.not_before = Time.now - 60; cert.not_after = Time.now + 86_400
cert.sign(rsa, OpenSSL::Digest::SHA256.new)
step('signing_certificates.upload') { sc = u.signing_certificates.upload(cert.to_pem); [sc.id.length > 0 && sc.active? && u.signing_certificates.map(&:id) == [sc.id], sc.id] }
step('server_certificates.upload') { sc = iam.server_certificates.upload(name: 'ruby-cert', certificate_body: cert.to_pem, private_key: rsa.to_pem, path: '/ruby/'); [sc.arn == "arn:aws:iam::#{account}:server-certificate/ruby/ruby-cert", sc.arn] }
step('server certificate delete') { iam.server_certificates['ruby-cert'].delete; [iam.server_certificates.map(&:name).none?('ruby-cert')] }

# --- virtual MFA device ---
step('virtual_mfa_devices.create, enable with two codes, deactivate, delete') do
  d = iam.virtual_mfa_devices.create('ruby-mfa')
  seed = d.base_32_string_seed
  now = Time.now.to_i / 30
  d.enable(u, totp(seed, now - 1), totp(seed, now))
  # `enabled?` of the object that created the device stays false: the SDK keeps its enable date static.
  d = iam.virtual_mfa_devices[d.serial_number]
  enabled = d.enabled? && u.mfa_devices.map(&:serial_number) == [d.serial_number]
  d.deactivate
  d.delete
  [enabled && iam.virtual_mfa_devices.map(&:serial_number).none?(d.serial_number), d.serial_number]
end

# --- roles, managed policies, instance profiles (client calls) ---
trust = doc.({ 'Effect' => 'Allow', 'Principal' => { 'AWS' => "arn:aws:iam::#{account}:root" }, 'Action' => 'sts:AssumeRole' })
step('create_role, get_role: the trust policy URL-encoded as on AWS') do
  c.create_role(role_name: 'ruby-role', assume_role_policy_document: trust)
  got = c.get_role(role_name: 'ruby-role')[:role]
  [JSON.parse(URI.decode_www_form_component(got[:assume_role_policy_document])) == JSON.parse(trust), got[:assume_role_policy_document][0, 80]]
end
pol_arn = nil
step('create_policy, attach_role_policy, list_attached_role_policies') do
  pol_arn = c.create_policy(policy_name: 'ruby-read', policy_document: doc.({ 'Effect' => 'Allow', 'Action' => ['iam:Get*', 'iam:List*'], 'Resource' => '*' }))[:policy][:arn]
  c.attach_role_policy(role_name: 'ruby-role', policy_arn: pol_arn)
  [c.list_attached_role_policies(role_name: 'ruby-role')[:attached_policies].map { |x| x[:policy_arn] } == [pol_arn], pol_arn]
end
step('create_policy_version (default), list_policy_versions') do
  c.create_policy_version(policy_arn: pol_arn, policy_document: doc.({ 'Effect' => 'Allow', 'Action' => 'iam:Get*', 'Resource' => '*' }), set_as_default: true)
  v = c.list_policy_versions(policy_arn: pol_arn)[:versions]
  [v.size == 2 && v.find { |x| x[:is_default_version] }[:version_id] == 'v2', v.inspect[0, 200]]
end
step('create_instance_profile, add_role_to_instance_profile, list_instance_profiles_for_role') do
  c.create_instance_profile(instance_profile_name: 'ruby-profile')
  c.add_role_to_instance_profile(instance_profile_name: 'ruby-profile', role_name: 'ruby-role')
  [c.list_instance_profiles_for_role(role_name: 'ruby-role')[:instance_profiles].map { |x| x[:instance_profile_name] } == ['ruby-profile']]
end
step('get_account_authorization_details') { d = c.get_account_authorization_details; [d[:user_detail_list].any? { |x| x[:user_name] == 'ruby-alice' } && d[:role_detail_list].any? { |x| x[:role_name] == 'ruby-role' }] }
step('generate_credential_report, get_credential_report') do
  state = nil
  10.times { state = c.generate_credential_report[:state]; break if state == 'COMPLETE'; sleep 0.5 }
  r = c.get_credential_report
  [state == 'COMPLETE' && r[:report_format] == 'text/csv' && r[:content].start_with?('user,arn,') && r[:content].include?('<root_account>'), "#{state} #{r[:report_format]}"]
end

# --- STS (TLS) ---
step('new_session (GetSessionToken)') do
  s = sts.new_session(duration: 900)
  [s.credentials[:access_key_id].start_with?('ASIA') && s.credentials[:session_token].length > 0 && (s.expires_at - Time.now).between?(800, 901), s.expires_at.inspect]
end
role = nil
step('assume_role') do
  role = sts.assume_role(role_arn: "arn:aws:iam::#{account}:role/ruby-role", role_session_name: 'ruby', duration_seconds: 900)
  [role[:assumed_role_user][:arn] == "arn:aws:sts::#{account}:assumed-role/ruby-role/ruby" && role[:credentials][:session_token], role[:assumed_role_user].inspect]
end
step('the role session calls IAM over HTTP: its managed policy allows GetRole') { r = AWS::IAM.new(plain.merge(role[:credentials])).client.get_role(role_name: 'ruby-role'); [r[:role][:arn] == "arn:aws:iam::#{account}:role/ruby-role"] }
step('the role session is refused CreateUser: AccessDenied') { e = raised { AWS::IAM.new(plain.merge(role[:credentials])).users.create('nope') }; [e == AWS::IAM::Errors::AccessDenied, e] }
step('assume_role with a session policy narrows the session') do
  narrow = sts.assume_role(role_arn: "arn:aws:iam::#{account}:role/ruby-role", role_session_name: 'narrow', duration_seconds: 900, policy: doc.({ 'Effect' => 'Allow', 'Action' => 'iam:ListRoles', 'Resource' => '*' }))
  e = raised { AWS::IAM.new(plain.merge(narrow[:credentials])).client.get_role(role_name: 'ruby-role') }
  [e == AWS::IAM::Errors::AccessDenied && narrow[:packed_policy_size].is_a?(Integer), "#{e} #{narrow[:packed_policy_size]}"]
end
step('assume_role of a role that does not trust the caller: AccessDenied') do
  c.create_role(role_name: 'ruby-untrusting', assume_role_policy_document: doc.({ 'Effect' => 'Allow', 'Principal' => { 'Service' => 'ec2.amazonaws.com' }, 'Action' => 'sts:AssumeRole' }))
  e = raised { sts.assume_role(role_arn: "arn:aws:iam::#{account}:role/ruby-untrusting", role_session_name: 'refused') }
  [e == AWS::STS::Errors::AccessDenied, e]
end
step('new_federated_session with an AWS::STS::Policy') do
  pol = AWS::STS::Policy.new
  pol.allow(actions: ['iam:GetUser'], resources: :any)
  f = sts.new_federated_session('ruby-fed', duration: 900, policy: pol)
  [f.user_arn == "arn:aws:sts::#{account}:federated-user/ruby-fed" && f.credentials[:access_key_id].start_with?('ASIA'), f.user_arn]
end
step('decode_authorization_message of a message that is not one: InvalidAuthorizationMessageException') { e = raised { sts.client.decode_authorization_message(encoded_message: 'not-a-message') }; [e.to_s.end_with?('InvalidAuthorizationMessageException'), e] }

# --- deletion, as a newcomer cleans up ---
step('user.delete while it has keys: DeleteConflict') { e = raised { u.delete }; [e == AWS::IAM::Errors::DeleteConflict, e] }
step('user.delete! removes keys, policies, groups, login profile, certificates') { u.delete!; [!iam.users['ruby-alice'].exists?] }
step('group delete') { g.policies.clear; g.delete; [!iam.groups['ruby-team'].exists?] }
step('roles, profile and policy deleted') do
  c.remove_role_from_instance_profile(instance_profile_name: 'ruby-profile', role_name: 'ruby-role')
  c.delete_instance_profile(instance_profile_name: 'ruby-profile')
  c.detach_role_policy(role_name: 'ruby-role', policy_arn: pol_arn)
  c.delete_policy_version(policy_arn: pol_arn, version_id: 'v1')
  c.delete_policy(policy_arn: pol_arn)
  %w[ruby-role ruby-untrusting].each { |r| c.delete_role(role_name: r) }
  [c.list_roles[:roles].none? { |x| x[:role_name].start_with?('ruby-') }]
end
%w[ruby-b ruby-c ruby-d ruby-f].each { |n| iam.users[n].delete! }
step('no ruby- user left') { [iam.users.with_prefix('/ruby/').to_a.empty?] }

puts JSON.generate('checks' => $checks, 'failures' => $failures)
