/** The entities of the tables outside the hot path (the hot path keeps explicit SQL on the same pool). */
export const DATABASE_ENTITIES: Array<new () => object> = [];
