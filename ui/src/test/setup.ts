// jsdom does no layout: every element measures 0×0, which would make the
// virtualised list render no rows. Give scroll containers a window-sized box.
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 900 });
Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 360 });
