// Translates the benchmark's IAM policies (parsed by @castellan/policy) into Cedar, as faithfully
// as Cedar allows. What is approximated (and may cause disagreements, which the bench counts):
// - ARN wildcards: Cedar's `like` lets `*` cross colons; IAM matches each of an ARN's first five
//   colon-separated parts on its own.
// - Only the operators and keys the workload uses are translated; anything else throws.
// Faithful: case-insensitive actions (the action is lowercased into the context, patterns too),
// missing keys (`has` guards, true for negated operators as in IAM), IP ranges (Cedar's `ip`
// extension), times (epoch seconds), Deny as `forbid` (which overrides `permit` as in IAM).

const q = (s) => JSON.stringify(s);
const likePattern = (s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function anyOf(terms) {
  if (terms.includes('true')) return 'true';
  return terms.length === 1 ? terms[0] : `(${terms.join(' || ')})`;
}

function actionExpr(actions) {
  return anyOf(
    actions.map((a) => {
      if (a === '*') return 'true';
      const lower = a.toLowerCase();
      return /[*?]/.test(lower) ? `context.action like ${likePattern(lower)}` : `context.action == ${q(lower)}`;
    }),
  );
}

function resourceExpr(resources) {
  return anyOf(resources.map((r) => (r === '*' ? 'true' : /[*?]/.test(r) ? `context.resource like ${likePattern(r)}` : `context.resource == ${q(r)}`)));
}

function conditionExpr(c) {
  const key = c.key.toLowerCase();
  if (c.qualifier || c.ifExists) throw new Error(`not translated: ${c.operator}`);
  if (key.startsWith('aws:principaltag/')) {
    const tag = q(c.key.slice('aws:principaltag/'.length));
    const eq = anyOf(c.values.map((v) => `principal.tags[${tag}] == ${q(v)}`));
    if (c.base === 'StringEquals') return `(principal.tags has ${tag} && ${eq})`;
    if (c.base === 'StringNotEquals') return `(!(principal.tags has ${tag}) || !${eq})`;
  }
  if (key === 'aws:sourceip') {
    const inRange = anyOf(c.values.map((v) => `context.sourceIp.isInRange(ip(${q(v)}))`));
    if (c.base === 'IpAddress') return `(context has sourceIp && ${inRange})`;
    if (c.base === 'NotIpAddress') return `(!(context has sourceIp) || !${inRange})`;
  }
  if (key === 'aws:multifactorauthpresent' && c.base === 'Bool') {
    return anyOf(c.values.map((v) => `(context has mfa && context.mfa == ${v.toLowerCase() === 'true'})`));
  }
  if (key === 'aws:currenttime') {
    const ops = { DateLessThan: '<', DateLessThanEquals: '<=', DateGreaterThan: '>', DateGreaterThanEquals: '>=' };
    const op = ops[c.base];
    if (op) return anyOf(c.values.map((v) => `context.epoch ${op} ${Math.floor(Date.parse(v) / 1000)}`));
  }
  throw new Error(`not translated: ${c.operator} on ${c.key}`);
}

/** Cedar policy text for a parsed IAM policy; statement ids become Cedar policy ids via @id. */
export function policyToCedar(policy, policyIndex) {
  return policy.statements
    .map((st) => {
      const parts = [];
      if (st.action) parts.push(actionExpr(st.action));
      if (st.notAction) parts.push(`!${actionExpr(st.notAction)}`);
      if (st.resource) parts.push(resourceExpr(st.resource));
      if (st.notResource) parts.push(`!${resourceExpr(st.notResource)}`);
      for (const c of st.conditions) parts.push(conditionExpr(c));
      const effect = st.effect === 'Deny' ? 'forbid' : 'permit';
      const body = parts.filter((p) => p !== 'true');
      return `@id(${q(`p${policyIndex}s${st.index}`)})\n${effect}(principal, action, resource)${body.length ? ` when {\n  ${body.join(' &&\n  ')}\n}` : ''};`;
    })
    .join('\n');
}

/** The Cedar request for an IAM request of the workload. */
export function cedarCall(request, policySetId) {
  const context = {
    action: request.action.toLowerCase(),
    resource: request.resource,
    epoch: Math.floor(request.now.getTime() / 1000),
  };
  const ip = request.context['aws:SourceIp'];
  if (ip !== undefined) context.sourceIp = { __extn: { fn: 'ip', arg: ip } };
  const mfa = request.context['aws:MultiFactorAuthPresent'];
  if (mfa !== undefined) context.mfa = mfa;
  return {
    principal: { type: 'User', id: request.principal.userName },
    action: { type: 'Action', id: 'call' },
    resource: { type: 'Resource', id: request.resource },
    context,
    preparsedPolicySetId: policySetId,
    entities: [{ uid: { type: 'User', id: request.principal.userName }, attrs: { tags: request.principal.tags }, parents: [] }],
  };
}
