// esbuild bundles imported CSS into dist/webview/grid.css next to grid.js.
declare module '*.css';
