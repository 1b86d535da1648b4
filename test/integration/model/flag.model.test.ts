import { describeModel } from '../../support/model/driver.js';
import { flagModel } from '../../support/model/flag.model.js';

describeModel(flagModel);
