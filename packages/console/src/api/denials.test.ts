import { beforeEach, describe, expect, it } from 'vitest';
import { DENIALS_KEPT, encodedMessageFor, forgetDenials, rememberDenial } from './denials.js';

describe('denials', () => {
  beforeEach(forgetDenials);

  it('keeps the newest DENIALS_KEPT, a repeated text counting as new', () => {
    for (let i = 0; i < DENIALS_KEPT; i++) rememberDenial(`d${i}`, `m${i}`);
    rememberDenial('d0', 'm0 again');
    rememberDenial('extra', 'm-extra');
    expect([encodedMessageFor('d0'), encodedMessageFor('d1'), encodedMessageFor('d2'), encodedMessageFor('extra')]).toEqual(['m0 again', undefined, 'm2', 'm-extra']);
  });

  it('forgets every denial when the session ends', () => {
    rememberDenial('AccessDenied: alice may not', 'msg');
    forgetDenials();
    expect(encodedMessageFor('AccessDenied: alice may not')).toBeUndefined();
  });
});
