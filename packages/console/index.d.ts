/** The web console's built files (`dist/`), made by `npm run build -w @castellan/console`. */
export declare const consoleAssetsDir: string;
