import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { parseTarget } from '../../../src/core/http/target.js';
import { parseForward, parseRoute, targetsFor, targetsOf } from '../../../src/core/relay/routes.js';

describe('forward targets', () => {
  it.each([
    ['3000', 'http://localhost:3000/'],
    ['3000/webhooks', 'http://localhost:3000/webhooks'],
    ['localhost:3000', 'http://localhost:3000/'],
    ['localhost:3000/webhooks', 'http://localhost:3000/webhooks'],
    ['127.0.0.1:8080/in?x=1', 'http://127.0.0.1:8080/in?x=1'],
    ['http://app.local:3000/hook', 'http://app.local:3000/hook'],
    ['https://localhost:8443/secure', 'https://localhost:8443/secure'],
  ])('reads %s as %s', (input, href) => {
    expect(parseTarget(input, '--forward').href).toBe(href);
  });

  it('refuses what is not an http(s) target, naming the flag', () => {
    expect(() => parseTarget('ftp://x:21/', '--to')).toThrow(UsageError);
    expect(() => parseTarget('http://', '--route')).toThrow(/--route/);
  });

  it.each([
    ['http//localhost:3005', 'did you mean "http://localhost:3005"?'],
    ['https:/localhost:3005/in', 'did you mean "https://localhost:3005/in"?'],
    ['3005:3006', 'did you mean "3005" or "localhost:3006"?'],
  ])('refuses %s, which would read as another host, with a did-you-mean', (input, hint) => {
    expect(() => parseTarget(input, '--forward')).toThrow(UsageError);
    expect(() => parseTarget(input, '--forward')).toThrow(hint);
  });

  it('routes matching types to their target and the rest to every --forward', () => {
    const forwards = [parseTarget('3000', '--forward'), parseTarget('4000', '--forward')];
    const routes = [parseRoute('user.*=localhost:3001'), parseRoute('tenant.updated = 3002/tenants')];
    expect(targetsFor('user.created', forwards, routes).map((u) => u.href)).toEqual(['http://localhost:3001/']);
    expect(targetsFor('tenant.updated', forwards, routes).map((u) => u.href)).toEqual(['http://localhost:3002/tenants']);
    expect(targetsFor('session.created', forwards, routes).map((u) => u.href)).toEqual(['http://localhost:3000/', 'http://localhost:4000/']);
    expect(targetsFor(null, forwards, routes)).toHaveLength(2);
    expect(() => parseRoute('no-equals')).toThrow(/PATTERN=TARGET/);
  });

  it('reads --forward PROVIDER=TARGET as a provider route, and every plain target (a query with "=" too) as a target', () => {
    expect(parseForward('ithbat=localhost:3000/webhooks/ithbat')).toEqual({ provider: 'ithbat', target: new URL('http://localhost:3000/webhooks/ithbat') });
    expect(parseForward('scalekit-standard = 3000/sk')).toEqual({ provider: 'scalekit-standard', target: new URL('http://localhost:3000/sk') });
    expect(parseForward('127.0.0.1:8080/in?x=1')).toEqual(new URL('http://127.0.0.1:8080/in?x=1'));
    expect(parseForward('http://localhost:3000/?a=b')).toEqual(new URL('http://localhost:3000/?a=b'));
    expect(() => parseForward('ithbat=')).toThrow('--forward ithbat= names no target');
    expect(() => parseForward('ithbat=ftp://x')).toThrow(/--forward ithbat=/);
  });

  it('sends a delivery read as a routed provider to its own targets, before the type routes; the rest as before', () => {
    const plan = { forwards: [parseTarget('3000', '--forward')], routes: [parseRoute('user.*=3001')], providerRoutes: [parseForward('ithbat=3000/ith'), parseForward('ithbat=4000/ith')] as Array<{ provider: string; target: URL }> };
    expect(targetsOf(plan, 'ithbat', 'user.created').map((u) => u.href)).toEqual(['http://localhost:3000/ith', 'http://localhost:4000/ith']);
    expect(targetsOf(plan, 'github', 'user.created').map((u) => u.href)).toEqual(['http://localhost:3001/']);
    expect(targetsOf(plan, null, 'push').map((u) => u.href)).toEqual(['http://localhost:3000/']);
    expect(targetsOf({ ...plan, forwards: [], routes: [] }, 'github', 'push')).toEqual([]);
  });
});
