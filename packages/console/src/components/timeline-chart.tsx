/**
 * Events per minute over the selected period, denials in their own colour, drawn by uPlot (a small,
 * maintained canvas chart library). The same figures are in a visually hidden table for screen readers.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface MinuteBucket {
  minute: number;
  allowed: number;
  denied: number;
}

/** `from`/`to` (epoch ms) are the selected period: the x axis spans it, whatever the events' spread. */
export function TimelineChart({ buckets, from, to }: { buckets: MinuteBucket[]; from: number; to: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || buckets.length === 0) return;
    const bars = uPlot.paths.bars!({ size: [0.8, 40] });
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 180,
        scales: { x: { time: true, auto: false, range: [from / 1000 - 30, to / 1000 + 30] } },
        axes: [{}, { label: 'events / minute' }],
        series: [
          {},
          { label: 'allowed', stroke: '#0b5cad', fill: 'rgba(11,92,173,0.35)', paths: bars },
          { label: 'denied', stroke: '#b42318', fill: 'rgba(180,35,24,0.55)', paths: bars },
        ],
      },
      [buckets.map((b) => b.minute / 1000), buckets.map((b) => b.allowed), buckets.map((b) => b.denied)],
      el,
    );
    const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 180 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [buckets, from, to]);
  return (
    <figure className="timeline" aria-labelledby="timeline-caption">
      <div ref={box} aria-hidden="true" />
      <figcaption id="timeline-caption">Events per minute (allowed in blue, denied in red)</figcaption>
      <table className="visually-hidden">
        <thead>
          <tr>
            <th scope="col">Minute</th>
            <th scope="col">Allowed</th>
            <th scope="col">Denied</th>
          </tr>
        </thead>
        <tbody>
          {buckets.map((b) => (
            <tr key={b.minute}>
              <td>{new Date(b.minute).toISOString().slice(0, 16)}</td>
              <td>{b.allowed}</td>
              <td>{b.denied}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
