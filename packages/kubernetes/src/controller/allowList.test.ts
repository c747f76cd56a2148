/** The endpoint allow-list on its own: what matches an entry, and how URLs are shown. */
import { describe, expect, test } from 'vitest';
import { EndpointAllowList, redactUrl } from './allowList.js';

describe('EndpointAllowList', () => {
  const list = new EndpointAllowList(['http://prometheus.monitoring.svc:9090', 'https://mimir.example.com/prometheus/']);

  test.each([
    ['http://prometheus.monitoring.svc:9090', true],
    ['http://prometheus.monitoring.svc:9090/', true],
    ['http://reader:secret@prometheus.monitoring.svc:9090', true],
    ['http://PROMETHEUS.monitoring.svc:9090/', true],
    ['https://mimir.example.com/prometheus', true],
    ['https://mimir.example.com:443/prometheus/api', true],
    ['https://mimir.example.com/prometheus-other', false],
    ['https://mimir.example.com/', false],
    ['https://mimir.example.com/prometheus/../admin', false],
    ['http://mimir.example.com/prometheus', false],
    ['https://prometheus.monitoring.svc:9090', false],
    ['http://prometheus.monitoring.svc:9091', false],
    ['http://prometheus.monitoring.svc.evil.example:9090', false],
    ['http://169.254.169.254/latest/meta-data', false],
    ['not a url', false],
    ['', false],
  ])('%s: %s', (url, allowed) => {
    expect(list.allows(url)).toBe(allowed);
  });

  test('an empty list allows nothing; an entry that is not an http(s) URL is refused at start, without its credentials', () => {
    expect(new EndpointAllowList([]).allows('http://prometheus:9090')).toBe(false);
    expect(() => new EndpointAllowList(['file:///etc/passwd'])).toThrow(/not an http\(s\) URL/);
    expect(() => new EndpointAllowList(['http://u:pw@ bad host'])).toThrow(RangeError);
    try {
      new EndpointAllowList(['http://u:pw@ bad host']);
    } catch (error) {
      expect(String(error)).not.toContain('pw');
    }
  });
});

describe('redactUrl', () => {
  test.each([
    ['http://reader:hunter2@prometheus:9090/x', 'http://prometheus:9090/x'],
    ['http://reader@prometheus:9090', 'http://prometheus:9090/'],
    ['http://prometheus:9090', 'http://prometheus:9090'],
    ['http://u:hunter2@ not a host/', 'http:// not a host/'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});
